/** The device side of ADB for virtual phones: transport, services, and the phone's shell. */
export { AdbDeviceServer, DEVICE_FEATURES, deviceBanner, type AdbDeviceServerOptions } from './device-server';
export { ConnectionState, DEVICE_MAX_DATA, type ServiceRouter, type StreamHandler } from './device-connection';
export { AdbCommand, AdbProtocolError, PacketReader, encodePacket, dataChecksum, type AdbPacket } from './packet';
export { AbstractSockets, type AbstractSocketListener } from './abstract-sockets';
export { MemoryFs, S_IFDIR, S_IFREG, type FsEntry } from './memory-fs';
export { createServiceRouter, type PhoneServices } from './services/service-router';
export type { ShellRunner } from './services/shell';
export { MiniShell, type CommandContext, type CommandResult, type ShellCommand, type ShellOutput } from './shell/mini-shell';
export { registerBuiltins } from './shell/builtins';
export { registerAndroidCommands, type AndroidState, type BatteryState, type JavaProgram } from './shell/android-commands';
export { ProcessTable, type PhoneProcess } from './shell/process-table';
export * from './adb-host-cli';
