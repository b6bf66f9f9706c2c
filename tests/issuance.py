"""What the scheduler's `issue_results` job does seconds after an approval, run once in the test's process."""
from __future__ import annotations


def sign_results(app) -> int:
    """Sign the results that approvals queued (engine.printing.issuance); how many were issued."""
    from webapp.scheduler import configured_jobs, run_job

    job = next(job for job in configured_jobs(app) if job.__name__ == "issue_results")
    return run_job(app, job)
