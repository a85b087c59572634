// Exits 0 when the broker answers a metadata request (used by stack.sh to wait for readiness).
import kafkajs from 'kafkajs';
const { Kafka, logLevel } = kafkajs;
const kafka = new Kafka({
  clientId: 'stack-ping',
  brokers: [process.argv[2]],
  logLevel: logLevel.NOTHING,
  retry: { retries: 0 },
  connectionTimeout: 1000,
  requestTimeout: 2000,
});
const admin = kafka.admin();
try {
  await admin.connect();
  await admin.describeCluster();
  process.exitCode = 0;
} catch {
  process.exitCode = 1;
} finally {
  await admin.disconnect().catch(() => {});
}
