// The convolution step model: forward sweeps (convolution, pooling), img2col and the backward pass.
export { explain } from './sliding';
export { explainImg2col } from './img2col';
export { explainBackward } from './backward';
export { ExplainError } from './grid';
export { LECTURE_1D, LECTURE_2D, LECTURE_2D_SECOND_FILTER } from './lecture';
export { INPUT_VALUES, KERNEL_VALUES, sampleGrid } from './sample';
export type * from './types';
