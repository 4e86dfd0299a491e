/**
 * Layouts of the `show call-home` commands only IOS XE has (`version`, `events`,
 * `smart-licensing [statistics]`, `diagnostic-signature …`), shared by the lab's renderers and
 * the parsers: titles, labels and table headers.
 */

/** `show call-home version`. */
export const VERSION_LAYOUT = {
  /** `Call-Home Version 3.0` */
  title: 'Call-Home Version',
  components: 'Component Version:',
  /** `call-home: (rp/0/0) 6.1.0` */
  componentLine: /^([\w-]+)\s*:\s*\(([^)]*)\)\s*(\S+)$/,
} as const;

/** `show call-home events`. */
export const EVENTS_LAYOUT = {
  title: 'Active event list:',
  columns: ['Profile Name', 'Alert Group', 'Index', 'Severity', 'Subscription', 'Last Triggered'],
  widths: [22, 16, 7, 14, 14],
} as const;

/** `show call-home smart-licensing`. */
export const SMART_LICENSING_LAYOUT = {
  title: 'Current smart-licensing transport settings:',
  messages: 'Smart-license messages',
  urls: 'Destination  URL(s)',
} as const;

/** `show call-home smart-licensing statistics`. */
export const SMART_LICENSING_STATS_LAYOUT = {
  legend: [
    'Success: Successfully sent and response received.',
    'Failed : Failed to send or response indicated error occurred.',
    'Inqueue: In queue waiting to be sent.',
    'Dropped: Dropped due to incorrect call-home configuration.',
  ],
  columns: ['Msg Subtype', 'Inqueue', 'Dropped', 'Success', 'Failed'],
  widths: [17, 9, 9, 9],
  subtypes: ['REGISTRATION', 'ACKNOWLEDGEMENT', 'ENTITLEMENT', 'DEREGISTRATION'],
} as const;

/** `show call-home diagnostic-signature`. */
export const DIAGNOSTIC_SIGNATURE_LAYOUT = {
  title: 'Current diagnostic-signature settings:',
  state: 'Diagnostic-signature',
  urls: 'Downloading URL(s)',
  environment: 'Environment variable:',
  downloaded: 'Downloaded DSes:',
  tableHeader: ['                                                          Last Update', 'DS ID      DS Name                      Revision Status     (GMT+00:00)'],
} as const;

/** Table headers of `show call-home diagnostic-signature [DS-ID] actions|events|prerequisite|statistics|failure|switch`. */
export const DIAGNOSTIC_SIGNATURE_VIEWS = {
  actions: ['DS ID      Action Index  Action Type          Action Detail'],
  events: ['DS ID      Event Index   Event Type           Event Detail'],
  prerequisite: ['DS ID      Prerequisite DS ID   Status'],
  statistics: ['                                          Triggered/    Average Run Max Run', 'DS ID      DS Name                        Max/Deinstall Time        Time'],
  failure: ['DS ID      DS Name                        Failure Reason'],
  switch: ['DS ID      Switch Number  Status'],
} as const;
export type DiagnosticSignatureView = keyof typeof DIAGNOSTIC_SIGNATURE_VIEWS;
export const DIAGNOSTIC_SIGNATURE_VIEW_NAMES = Object.keys(DIAGNOSTIC_SIGNATURE_VIEWS) as DiagnosticSignatureView[];
