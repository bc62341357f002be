// npm start's setup: npm's EBADENGINE warnings (Electron's packages declare a newer Node than Deputy needs) are said
// once, in one plain line, instead of a dozen warning lines.
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, without types
import { engineWarnings } from '../../scripts/setup.mjs';

const NPM_STDERR = `npm warn EBADENGINE Unsupported engine {
npm warn EBADENGINE   package: 'electron@45.4.1',
npm warn EBADENGINE   required: { node: '>= 22.12.0' },
npm warn EBADENGINE   current: { node: 'v20.20.2', npm: '10.8.2' }
npm warn EBADENGINE }
npm warn EBADENGINE Unsupported engine {
npm warn EBADENGINE   package: '@electron/get@4.0.2',
npm warn EBADENGINE   required: { node: '>=22.12.0' },
npm warn EBADENGINE   current: { node: 'v20.20.2', npm: '10.8.2' }
npm warn EBADENGINE }
npm warn deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported
`;

describe('setup', () => {
  it('says npm’s EBADENGINE warnings once, in plain words, and passes every other line through', () => {
    const { rest, line } = engineWarnings(NPM_STDERR) as { rest: string; line: string | null };
    expect(rest).toBe('npm warn deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported\n');
    expect(line).toContain('electron@45.4.1, @electron/get@4.0.2 declare Node >=22.12.0.');
    expect(line).toContain('Harmless here');
    expect(line).not.toContain('\n');
    expect(engineWarnings('added 900 packages\n')).toEqual({ rest: 'added 900 packages\n', line: null });
  });
});
