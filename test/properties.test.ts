import fc from 'fast-check';
import { GcpAppProject } from '../src';
import { checkOptionSet, optionSets } from './support/option-properties';
import { synthWithoutInstall, temporaryDirectory } from './support/synth';
import { InvalidOptionsError } from '../src/options/validate';

/** CI checks a sample; `npx projen soak` runs 10,000 and records the run in docs/soak.md. */
test('every option set synthesizes or is rejected', () => {
  const outcomes = { rejected: 0, synthesized: 0 };
  fc.assert(
    fc.property(optionSets, (options) => {
      outcomes[checkOptionSet(options)]++;
    }),
    { numRuns: 300 },
  );
  expect(outcomes.rejected).toBeGreaterThan(0);
  expect(outcomes.synthesized).toBeGreaterThan(0);
});

test('full synth writes or writes nothing', () => {
  fc.assert(
    fc.property(optionSets, (options) => {
      const dir = temporaryDirectory('property');
      try {
        synthWithoutInstall(new GcpAppProject({ name: 'acme', outdir: dir, ...(options as any) }));
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidOptionsError);
      }
    }),
    { numRuns: 25 },
  );
});
