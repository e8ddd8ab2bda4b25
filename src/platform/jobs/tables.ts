export interface JobProgressTable {
  job_name: string;
  advanced_to: Date | null;
  last_run_at: Date | null;
  last_duration_ms: number | null;
  last_error: string | null;
}

export interface JobTables {
  job_progress: JobProgressTable;
}
