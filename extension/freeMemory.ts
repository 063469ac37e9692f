// The machine's free memory, for the training panel's check before Start (the web build swaps in freeMemory.web.ts).
import { freemem } from 'node:os';

export const freeMemory = (): number | undefined => freemem();
