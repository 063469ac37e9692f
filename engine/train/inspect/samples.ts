// Which test images the panel shows: the mistakes first, the most confident ones first (the most
// instructive), then correct predictions in dataset order.

export function sampleOrder(labels: ArrayLike<number>, predicted: ArrayLike<number>, confidence: ArrayLike<number>, count: number): number[] {
  const wrong: number[] = [], right: number[] = [];
  for (let i = 0; i < labels.length; i++) (predicted[i] === labels[i] ? right : wrong).push(i);
  wrong.sort((a, b) => confidence[b] - confidence[a] || a - b);
  return [...wrong, ...right].slice(0, count);
}
