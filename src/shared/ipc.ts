/** The one IPC channel every call travels on; the method name is its first argument. */
export const IPC_CHANNEL = 'deputy:call';
