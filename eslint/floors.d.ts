/** Types of eslint/floors.js, for the tests that read the table. */
export type Layer = { readonly paths: readonly string[]; readonly may: readonly string[]; readonly types?: readonly string[]; readonly why: string };
export declare const LAYERS: Readonly<Record<string, Layer>>;
export declare const KNOWN_EXCEPTIONS: readonly { readonly from: string; readonly to: string; readonly why: string }[];
