"""Dossier: a dossier's life, from submission to the returned result.

- lifecycle: open a dossier, claim and complete a step, look dossiers up.
- opening: the applicant's details checked, a dossier made and its process started.
- workflow: the SpiffWorkflow runtime: lock, load, run, sync worklist rows, save.
- timers: BPMN timer events and the rows the scheduler reads.
- timer_firing: firing a dossier's due timers (the scheduler's job and an incident's retry).
- assignment: new worklist rows given to their camunda:assignee.
- messages: BPMN messages delivered to a waiting dossier (the messages API).
- workflow_end: a dossier whose process reached its end event ends with it.
- states: how the standard decision fields of a completed step move the dossier.
- codes: dossier codes without gaps or duplicates.
- counter: receiving at the one-stop desk in one step.
- online: online submission by an applicant.
- online_drafts: what the online form keeps (files after a mistake, "Sửa lại"), and saved drafts (Lưu nháp).
- portal_intake: dossiers submitted on the national portal join the intake queue.
- documents: scans and results, checked by content, stored by hash.
- case_file: scans per checklist item and attachments at any step; the citizen's store and its reuse.
- declaration: the applicant's declaration (application form): validated, corrected as events, in the
  process data as `declaration`.
- staged_uploads: an online submission's files before it is sent: expiry and the account's quota.
- desk_staging: the scans of a refused intake form, kept for the desk's next try.
- blob_gc: collecting stored files that no document or staged upload refers to.
- fees, payments: a procedure's fee, paid online or at the desk.
- shipments: results sent by post and their delivery reports.
- extension, stop: form 04 (one extension with apology) and form 05 (stop).
- calendar_change: a day off declared after appointments were issued, kept or extended with form 04.
- handover: paper dossiers handed from the desk to a division and back, signed per batch.
- worklist: an official's worklist, claiming, giving back and reassigning steps.
- version_migration: moving running dossiers to a newer process version.
- diagram: a dossier's diagram with the path it took.
- group: một cửa liên thông: a procedure group's dossier and its members, each of its own agency.
- group_data: the data a group member receives from the declaration and the earlier results.
- group_return: the receiving desk hands over an ended group's results, once.
- online_group: a procedure group submitted online by an applicant, and the applicant's groups.
"""
