"""Applicants: citizens and organisations that submit and follow their own dossiers.

- inbox: the applicant's messages (email and SMS) read in the portal, with what is read.
- identity: how applicants prove who they are (local accounts behind one interface).
- vneid_accounts: the account of a citizen VNeID vouched for, found or created at sign-in.
- linking: counter dossiers joining the citizen's account (VNeID-verified ID, or ID and email).
- my_data: the applicant's own data as a zip (account, dossiers, files, ratings, feedback).
- feedback: phản ánh, kiến nghị on a dossier or a procedure, answered by the unit.
- own_dossiers: what an applicant does with their dossiers after submitting.
- progress: a dossier's timeline, what is asked of the citizen now, and why it ended.
- satisfaction: the national portal survey's six rating criteria and when a rating counts as satisfied.
"""
