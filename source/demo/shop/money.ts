/** An amount rounded to the cent, as the API shows prices and totals. */
export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
