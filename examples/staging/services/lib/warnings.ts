// kafkajs 2.2.4 sets a timer with a negative delay on Node 24, which prints a TimeoutNegativeWarning
// per client. Node clamps such delays to 1 ms, which is what kafkajs means; every other warning is
// still printed.
export function quietKnownWarnings(): void {
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (w.name === 'TimeoutNegativeWarning') return;
    process.stderr.write(`${w.name}: ${w.message}\n`);
  });
}
