// Test processes drive Kafka with kafkajs 2.2, which arms a timer with a negative delay whenever its
// request queue goes idle (tulios/kafkajs#1751; Node clamps it to 1 ms, so it is harmless) and Node 24
// prints a TimeoutNegativeWarning for each. The actions filter it the same way (src/lib/kafka/internals.ts);
// every other warning is still printed.
const listeners = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name === 'TimeoutNegativeWarning') return;
  for (const l of listeners) l(warning);
});
