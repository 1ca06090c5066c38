/** Hands the store and the client to every component, so tests can give each render its own. */
import { createContext, useCallback, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { CommandName, CommandParams, CommandResults } from '../../../electron/station/api/contract';
import type { ConsoleClient } from '../api/client';
import type { StationState, StationStore } from './station-store';

interface Station {
  store: StationStore;
  client: ConsoleClient;
}

const StationContext = createContext<Station | null>(null);

export function StationProvider({ store, client, children }: Station & { children: ReactNode }) {
  return <StationContext.Provider value={{ store, client }}>{children}</StationContext.Provider>;
}

function useStationContext(): Station {
  const ctx = useContext(StationContext);
  if (!ctx) throw new Error('console components need a StationProvider above them');
  return ctx;
}

export function useStation<T>(selector: (s: StationState) => T): T {
  return useStore(useStationContext().store, selector);
}

export function useClient(): ConsoleClient {
  return useStationContext().client;
}

/**
 * Runs a command; a refusal becomes a toast naming the command and the station's reason, and the
 * promise resolves to null so callers need no catch of their own. Nothing is swallowed silently.
 */
export function useCommand(): <C extends CommandName>(command: C, params: CommandParams<C>) => Promise<CommandResults[C] | null> {
  const { client, store } = useStationContext();
  return useCallback(
    async (command, params) => {
      try {
        return await client.call(command, params);
      } catch (err) {
        const message = (err as Error).message;
        store.getState().toast('error', message.startsWith(command) ? message : `${command}: ${message}`);
        return null;
      }
    },
    [client, store],
  );
}
