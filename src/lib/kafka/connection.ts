/** How to reach a Kafka cluster: shared by the client and the errors that explain a failed connection. */
export interface KafkaConnection {
  brokers: string[];
  clientId?: string;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  /** true for TLS with the system CAs, or the PEM CA(s) to trust. */
  ssl?: boolean | { ca: string[] };
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}
