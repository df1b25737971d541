/**
 * A child process for the process-handler test (background.test.ts): installs the handlers as
 * `npm start` does, then loses a rejection (argv `rejection`) or throws from a timer (argv
 * `exception`). Log lines go to stdout as JSON, then the metric line, then `alive` if the
 * process outlived the failure.
 */
import { pino } from 'pino';
import { installProcessHandlers } from '../../src/background.js';
import { Metrics } from '../../src/metrics.js';

const metrics = new Metrics({ defaults: false });
const logger = pino({ level: 'info' }, pino.destination({ fd: 1, sync: true }));
const metricLine = async () =>
  (await metrics.registry.metrics()).split('\n').filter((l) => l.startsWith('switchboard_background_errors_total{'));

installProcessHandlers(logger, metrics, {
  onUncaughtException: () => {
    void metricLine().then((lines) => {
      process.stdout.write(`${lines.join('\n')}\nexiting\n`);
      process.exit(3);
    });
  },
});

if (process.argv[2] === 'rejection') {
  void Promise.reject(new Error('a step nobody awaited failed'));
  setTimeout(() => {
    void metricLine().then((lines) => process.stdout.write(`${lines.join('\n')}\nalive\n`));
  }, 50);
} else {
  setTimeout(() => {
    throw new Error('a synchronous bug in a timer');
  }, 10);
}
