/** Injected everywhere time matters, so tests can move it (idle lock, expiry). */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
