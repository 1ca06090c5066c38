/**
 * Value lists the settings form offers, derived from the configuration's types. The schema module
 * itself cannot be bundled into the console (it reads prompt files from disk), so each list is
 * written here and `allOf` makes the compiler refuse it when it misses a value the type allows.
 */
import type { LineConfig, PbxConfig, RoutingConfig, StationConfig } from '../../../electron/station/config/schema';

type Missing<T, A extends readonly unknown[]> = [Exclude<T, A[number]>] extends [never] ? unknown : { missing: Exclude<T, A[number]> };

/** Returns its arguments; type-checks that they cover every member of T. */
export function allOf<T extends string>() {
  return <const A extends readonly T[]>(...values: A & Missing<T, A>): A => values;
}

export const TRANSPORTS = allOf<PbxConfig['transport']>()('udp', 'tcp', 'tls');
export const CODECS = allOf<LineConfig['codecs'][number]>()('G722', 'PCMU', 'PCMA');
export const DESTINATION_SOURCES = allOf<RoutingConfig['destinationOrder'][number]>()('display-name', 'caller-id', 'prefix', 'dtmf');
export const PROMPT_NAMES = allOf<keyof StationConfig['prompts'] & string>()('intro', 'enter-number', 'invalid-number', 'busy', 'not-on-whatsapp', 'echo-test', 'goodbye');
