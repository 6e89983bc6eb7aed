"""capi-sync from Airflow: one task that sends new offline conversions to Snap every 15 minutes.

Install (see docs/operations.md):
  1. On the workers, a folder holding capi-sync (a clone after `npm ci`, or a project that depends on
     it) with your activations.yml and models/: CAPI_SYNC_DIR below.
  2. Airflow Variables for what activations.yml reads from the environment:
     capi_sync_database_url_secret, snap_capi_token, snap_pixel_id. Airflow masks the values of
     Variables whose names contain "secret" or "token" in its logs; capi-sync never prints them either.
  3. Copy this file into your DAGs folder. Leave `schedule:` out of activations.yml: Airflow schedules.

What the exit codes of `capi-sync run` become here:
  0    ok (or partial: Snap refused some events on their own)      success
  75   skipped: another capi-sync holds the activation's lock       skipped (skip_on_exit_code)
  3    a warning fired (only with --fail-on-warning)                failed, so that someone looks
  1    the run failed; what Snap accepted is in the ledger          failed; the next run resumes
  2    config or usage error; nothing was sent                      failed
  130  stopped by SIGTERM (the task was stopped or timed out)       failed; the next run resumes
The next run sends what a failed or stopped one did not, and nothing twice, so the task is not retried.
"""

from datetime import datetime, timedelta

try:  # Airflow 3
    from airflow.providers.standard.operators.bash import BashOperator
    from airflow.sdk import DAG
except ImportError:  # Airflow 2.6 and later
    from airflow import DAG
    from airflow.operators.bash import BashOperator

CAPI_SYNC_DIR = "/opt/analytics/capi"
# capi-sync's exit code for a run skipped because another capi-sync holds the activation's lock.
SKIPPED = 75

with DAG(
    dag_id="capi_sync",
    schedule="*/15 * * * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["snap", "capi-sync"],
):
    BashOperator(
        task_id="snap_conversions",
        bash_command="npx capi-sync run --log-format json --fail-on-warning",
        cwd=CAPI_SYNC_DIR,
        env={
            "DATABASE_URL": "{{ var.value.capi_sync_database_url_secret }}",
            "SNAP_CAPI_TOKEN": "{{ var.value.snap_capi_token }}",
            "SNAP_PIXEL_ID": "{{ var.value.snap_pixel_id }}",
        },
        append_env=True,  # keep PATH, so that npx is found
        skip_on_exit_code=SKIPPED,
        retries=0,
        # A timeout sends SIGTERM: capi-sync lets the requests in flight finish (up to 20 s), saves what
        # Snap accepted in the ledger and exits 130.
        execution_timeout=timedelta(hours=2),
    )
