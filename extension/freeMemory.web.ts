// In a browser the free memory is not known: the training panel's check before Start is skipped.
export const freeMemory = (): number | undefined => undefined;
