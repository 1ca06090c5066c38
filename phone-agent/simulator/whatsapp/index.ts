/** The simulated WhatsApp network used by virtual phones (see simulated-whatsapp.ts). */
export { SimulatedWhatsApp, type SimulatedWhatsAppOptions, type WhatsAppEndpoint, type ReceivedMessage, type SendResult } from './simulated-whatsapp';
export { Call, CallLeg, type CallAudioFrame, type CallListener, type CallState } from './call';
export type { NetworkTiming } from './contact-bot';
export * from './scenario';
export { toneSource, loopSource, wavSource, TONE_AMPLITUDE, type FrameSource } from './media-sources';
