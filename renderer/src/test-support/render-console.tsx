/** Renders console components against a FakeStation, with a store fed the way the app feeds it. */
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { bindClient } from '../store/bind-client';
import { StationProvider } from '../store/station-context';
import { createStationStore } from '../store/station-store';
import type { FakeStation } from './fake-station';

export function renderConsole(ui: ReactElement, fake: FakeStation) {
  const store = createStationStore();
  const unbind = bindClient(store, fake);
  const result = render(
    <StationProvider store={store} client={fake}>
      {ui}
    </StationProvider>,
  );
  return { ...result, store, unbind };
}
