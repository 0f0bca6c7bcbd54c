/** The part of autocannon 9's API that bench-serve uses (the package ships no types). */
declare module 'autocannon' {
  export interface Verzoek {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  }
  export interface Opties {
    url: string;
    connections?: number;
    duration?: number;
    overallRate?: number;
    pipelining?: number;
    requests?: Verzoek[];
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    tlsOptions?: Record<string, unknown>;
    expectBody?: string;
  }
  export interface Verdeling {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
    p99_9?: number;
  }
  export interface Resultaat {
    latency: Verdeling;
    requests: Verdeling & { total: number; sent: number };
    throughput: Verdeling;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
    duration: number;
  }
  function autocannon(opties: Opties): Promise<Resultaat>;
  export default autocannon;
}
