// One way to do a dialog (issue 23): every modal of the renderer gets its focus handling, Escape and focus
// return from components/useDialog, so none can be written that traps the keyboard user or loses their place.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const renderer = join(root, 'src/renderer/src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

const files = sources(renderer).map((path) => ({
  file: relative(root, path),
  text: readFileSync(path, 'utf8'),
}));

describe('dialogs in the renderer', () => {
  it('every element with role dialog or alertdialog is in a module that uses useDialog', () => {
    const modals = files.filter(
      ({ file, text }) => !file.endsWith('/useDialog.ts') && /role=["{'`]+(alert)?dialog/.test(text),
    );
    expect(modals.map((m) => m.file).sort()).toEqual([
      'src/renderer/src/components/ConfirmDialog.tsx',
      'src/renderer/src/components/ImpersonateDialog.tsx',
      'src/renderer/src/components/SecretOnce.tsx',
    ]);
    for (const { file, text } of modals) expect(text, file).toMatch(/\buseDialog[<(]/);
  });

  it('aria-modal is set only by useDialog', () => {
    const setting = files.filter(({ text }) => /aria-modal/.test(text)).map((f) => f.file);
    expect(setting).toEqual(['src/renderer/src/components/useDialog.ts']);
  });
});
