/** The simulated on-phone agent (see simulated-agent.ts). */
export { SimulatedAgent, DEFAULT_AGENT_SOFTWARE, type SimulatedAgentOptions } from './simulated-agent';
export { garbageFrame, type GarbageKind } from './garbage-frame';
