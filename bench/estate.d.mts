export interface EstateOptions {
  readonly out: string;
  readonly vpcs?: number;
  readonly enis?: number;
  readonly accounts?: number;
  readonly seed?: number;
}
export interface EstateSummary {
  readonly vpcs: number;
  readonly enis: number;
  readonly samples: { readonly sameVpc: [string, string][]; readonly toInternet: string[]; readonly fromInternet: string[] };
}
export function generateEstate(options: EstateOptions): EstateSummary;
