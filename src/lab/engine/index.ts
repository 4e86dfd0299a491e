/** The lab's Call Home engine: what the device and its CLI use. */
export { createCallHomeEngine, DEFAULT_TEST_TEXT, TAC_ATTACH_EMAIL, type CallHomeEngineOptions } from './engine.js';
export { createManualScheduler, createTimerScheduler, sharedScheduler, type ManualScheduler, type Scheduler } from './scheduler.js';
export { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from './delivery.js';
