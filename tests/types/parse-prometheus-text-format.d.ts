/** Types for parse-prometheus-text-format (it ships none): prom2json-shaped families. */
declare module 'parse-prometheus-text-format' {
  /** One sample: `value` for counters/gauges; buckets/count/sum for histograms (all as text). */
  export interface Sample {
    value?: string;
    labels?: Record<string, string>;
    buckets?: Record<string, string>;
    count?: string;
    sum?: string;
  }
  /** One metric family. */
  export interface Family {
    name: string;
    help: string;
    type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
    metrics: Sample[];
  }
  /** Parses Prometheus text exposition format 0.0.4. */
  export default function parsePrometheusTextFormat(text: string): Family[];
}
