// Exposes window.deputy — one function per contract method — and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { createClient } from '../shared/client';
import { IPC_CHANNEL } from '../shared/ipc';
import type { Result } from '../shared/result';

contextBridge.exposeInMainWorld(
  'deputy',
  createClient((method, input) => ipcRenderer.invoke(IPC_CHANNEL, method, input) as Promise<Result<unknown>>),
);
