// The Electron main process: one window with secure defaults, the contract bound to one IPC channel.
import { app, BrowserWindow, ipcMain, session, shell, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createCore, type Core } from './core';
import { databasePath } from './paths';
import { CONTENT_SECURITY_POLICY } from './security';
import { keytarVault } from './vault/keytarVault';
import { IPC_CHANNEL } from '../shared/ipc';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererIndex = join(here, '../renderer/index.html');
const devUrl = process.env.ELECTRON_RENDERER_URL;

/** The only page allowed to call main: our own renderer (or the dev server while developing). */
function isOwnPage(url: string | undefined): boolean {
  if (!url) return false;
  if (devUrl && url.startsWith(devUrl)) return true;
  return url.split('#')[0] === pathToFileURL(rendererIndex).href;
}

function cliFlag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function bindContract(core: Core): void {
  ipcMain.handle(IPC_CHANNEL, (event: IpcMainInvokeEvent, method: unknown, input: unknown) => {
    if (!isOwnPage(event.senderFrame?.url)) {
      return { ok: false, error: { code: 'forbidden', message: 'Calls are accepted only from the Deputy window.' } };
    }
    return core.call(`window-${event.sender.id}`, method, input);
  });
}

function harden(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) =>
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    }),
  );
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      // Links to documentation open in the user's browser, never inside the app.
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (!isOwnPage(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'Deputy',
    show: false,
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // A middle click must not open a link in a new window (electronegativity AUXCLICK_JS_CHECK).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => win.show());
  // On macOS closing the window leaves the app running: the window's session must not outlive it.
  const connection = `window-${win.webContents.id}`;
  win.webContents.once('destroyed', () => core?.closeConnection(connection));
  if (devUrl) void win.loadURL(devUrl);
  else void win.loadFile(rendererIndex);
  return win;
}

let core: Core | undefined;

app.whenReady().then(
  async () => {
    try {
      core = await createCore({
        dbPath: databasePath(cliFlag('db'), process.env),
        vault: keytarVault,
        forward: true,
      });
    } catch (err) {
      console.error(`Deputy cannot open its database: ${(err as Error).message}`);
      app.exit(1);
      return;
    }
    // The main log says where the database is: on first start, where it was just created (issue 22 #3).
    const { path, created, upgradeBackup } = core.opened;
    console.log(`Deputy database: ${path}${created ? ' (created now: this is its first start)' : ''}`);
    if (upgradeBackup) {
      console.log(`Upgraded from schema ${upgradeBackup.fromVersion}; the database as it was: ${upgradeBackup.path}`);
    }
    harden();
    bindContract(core);
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  },
  (err: unknown) => console.error(err),
);

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', (event) => {
  if (!core) return;
  // Let the audit head be anchored before the process ends.
  event.preventDefault();
  const closing = core;
  core = undefined;
  void closing.close().finally(() => app.quit());
});
