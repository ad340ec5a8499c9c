/** PDF user space is in points (1/72 in); paper and label sizes are specified in millimetres. */
export function mm(millimetres: number): number {
  return (millimetres * 72) / 25.4;
}
