import { synthesizeStack } from '../src/infra/engine';

test('errors in a build keep their stack', () => {
  let caught: Error | undefined;
  try {
    synthesizeStack({
      name: 'broken',
      build: () => {
        throw new Error('the build failed');
      },
    });
  } catch (error) {
    caught = error as Error;
  }
  expect(caught?.message).toBe('the build failed');
  expect(caught?.stack).toMatch(/\n\s+at /);
});

test('stack capture is restored after synth', () => {
  const capture = Error.captureStackTrace;
  synthesizeStack({ name: 'empty', build: () => {} });
  expect(Error.captureStackTrace).toBe(capture);
  const target: { stack?: string } = {};
  Error.captureStackTrace(target);
  expect(target.stack).toContain('at ');
});

test('output has no cdktf metadata', () => {
  const json = synthesizeStack({ name: 'empty', build: () => {} });
  expect(json['//']).toBeUndefined();
});
