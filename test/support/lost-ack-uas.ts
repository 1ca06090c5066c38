/**
 * Child process for the lost-ACK regression test: a station line (UDP, no registration) that answers
 * one INVITE with 200 + a fixed SDP. Short timers make sip.js's ACK timeout fire about 3 s after the
 * call. Prints `PORT n` when listening, `ENDED` when the call ends, and `ALIVE` before exiting 0 if it
 * survived the ACK timeout. With SIP2WA_UNGUARDED=1 the guards are left out (to show the crash).
 *
 * Usage: tsx test/support/lost-ack-uas.ts PBX_PORT
 */
import { SessionState, type Invitation } from 'sip.js';
import { SipAccount } from '../../electron/station/sip/sip-account';
import { installSipSafety } from '../../electron/station/sip/sip-safety';
import { configureSipTimers, sipTimers } from '../../electron/station/sip/sip-timers';
import { fixedSdpTestDoubleFactory } from './fixed-sdp-handler';

const pbxPort = Number(process.argv[2]);
configureSipTimers({ T1: 50, T2: 200 });
const ackTimeoutMs = sipTimers.TIMER_L;
if (process.env.SIP2WA_UNGUARDED !== '1') installSipSafety();

let call: Invitation | undefined;
const account = await SipAccount.create(
  { pbx: { host: '127.0.0.1', port: pbxPort, transport: 'udp', keepaliveSeconds: 0 }, line: { user: '201', password: 'unused' } },
  {
    localAddress: '127.0.0.1',
    sessionDescriptionHandlerFactory: fixedSdpTestDoubleFactory,
    delegate: {
      onInvite: (invitation) => {
        call = invitation;
        invitation.stateChange.addListener((s) => {
          if (s === SessionState.Terminated) {
            process.stdout.write('ENDED\n');
            setTimeout(() => {
              process.stdout.write(`ALIVE state=${call?.state}\n`);
              void account.ua.stop().finally(() => process.exit(0));
            }, ackTimeoutMs + 1_500);
          }
        });
        void invitation.accept();
      },
    },
  },
);
await account.ua.start();
process.stdout.write(`PORT ${account.transport.localPort}\n`);
