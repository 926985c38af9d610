import * as fs from 'fs';
import * as path from 'path';

/** Version of this package, which deploys record in the platform's registry. */
export const PACKAGE_VERSION: string = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8'),
).version;
