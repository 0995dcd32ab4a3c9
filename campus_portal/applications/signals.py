"""What the lifecycle announces: one signal per transition (after pretix's ``signals.py``).

The lifecycle (``services``, ``deadlines``) never calls the apps that follow it by name; it
sends these, and delivery, results, notifications and ratings connect their receivers in their
``AppConfig.ready()`` (the dashboard listens to the rows themselves). docs/architecture.md
lists them.

How they are sent — the same for every signal below:

- ``sender`` is the ``Application`` model class; ``application`` is the row, locked and already
  changed (its ``state`` is the new one and its event is written).
- They are sent **inside** the transition's transaction, after its own writes. What a receiver
  writes to the database is therefore part of the transition: it commits with it and is rolled
  back with it (an approval without its delivery row cannot happen).
- Side effects outside the database — a Celery task, a mail, a call to a locker or a printer —
  run **after commit**: a receiver wraps them in ``transaction.on_commit`` (notifications,
  result documents and the dashboard refresh do). A rolled-back transition then sends nothing.
- A receiver that raises makes the transition fail; only ``application_submitting`` is meant to
  (with ``TransitionRefused``). Any other receiver catches its own errors, as
  ``notifications.services.notify`` does.

Plugins do not connect here: they get the office-scoped signals of ``plugin_api.signals``,
which run after commit and swallow a plugin's error.
"""

from __future__ import annotations

from django.dispatch import Signal

# --- Drafting -------------------------------------------------------------------------------

application_submitting = Signal()
"""
Sent while an application is being submitted (or re-submitted after a supplement), before its
state changes.

Arguments: ``application`` (a draft or a supplement, with the answers not yet set),
``delivery_mode`` (the mode asked for, or None: keep the draft's, else the matter's default) and
``delivery_address`` (a dict, or None).

Receivers may check what the submission carries and set the application's fields that belong to
them (delivery sets ``delivery_mode`` and ``delivery_address``; the lifecycle saves them with the
submission). To refuse the submission, raise ``events.TransitionRefused`` with the message the
applicant should read; nothing is then written.
"""

application_submitted = Signal()
"""
Sent when an application was submitted for the first time (state ``submitted``, or already
decided when its handler decides at once — 秒批).

Arguments: ``application``, ``channel``.

Receivers may tell the accepting office (notifications) or count the submission. They must not
change the application.
"""

supplement_answered = Signal()
"""
Sent when the applicant re-submitted after a supplement request (补正): the paused steps run
again (state ``in_progress``), or the application waits for acceptance again (``submitted``).

Arguments: ``application``, ``channel``.

Receivers may tell the offices whose clocks run again.
"""

application_withdrawn = Signal()
"""
Sent when the applicant withdrew the application (state ``withdrawn``; open steps cancelled).

Arguments: ``application``, ``before`` (the state it was in).

Receivers may drop what they prepared for it (a queue ticket, a reserved slot).
"""

# --- Acceptance -----------------------------------------------------------------------------

application_accepted = Signal()
"""
Sent when an office accepted the application (受理): state ``in_progress``. It is sent before
the handler's steps are created; ``steps_started`` follows for the first of them.

Arguments: ``application``.

Receivers may tell the applicant (notifications) or issue the acceptance notice.
"""

application_not_accepted = Signal()
"""
Sent when an office did not accept the application (不予受理): state ``not_accepted``, the
reason in ``application.decision_reason``.

Arguments: ``application``.

Receivers may tell the applicant the reason.
"""

supplement_requested = Signal()
"""
Sent when an office returned the application for supplement (补正, once): state
``supplement``, the items in ``application.supplement_notice``, active steps paused.

Arguments: ``application``.

Receivers may tell the applicant everything that is missing, in one notice.
"""

# --- Steps ----------------------------------------------------------------------------------

steps_started = Signal()
"""
Sent when one step, or a parallel group of steps, started its clock (``state`` active,
``started_at`` and ``due_at`` set on the holiday calendar).

Arguments: ``application``, ``steps`` (a list of ``Step``).

Receivers may tell the steps' offices and named assignees.
"""

step_finished = Signal()
"""
Sent when an office finished its step (approved, or rejected with a reason in
``step.comment``). A rejection is followed by ``application_decided``; an approval by
``steps_started`` for the next steps or, after the last one, ``application_decided``.

Arguments: ``application``, ``step``, ``approved`` (bool).

Receivers may record or tell; they must not change the step.
"""

step_transferred = Signal()
"""
Sent when a step that reached the wrong office was sent on to another one (转办). The clock
keeps running (``due_at`` unchanged); reminder and escalation start afresh.

Arguments: ``application``, ``step`` (its ``office_code`` is the new office), ``from_office``,
``reason``.

Receivers may tell the new office.
"""

step_extension_requested = Signal()
"""
Sent when staff of a step's office asked for a time extension (延期).

Arguments: ``application``, ``step``, ``extension`` (the pending ``StepExtension``: working
days and reason).

Receivers may tell the office's heads, who approve or refuse it.
"""

step_extended = Signal()
"""
Sent when an office head approved a time extension: the step's ``due_at`` moved by the granted
working days (never past the matter's statutory limit), its reminder and overdue marks start
afresh.

Arguments: ``application``, ``step``, ``extension`` (approved; ``previous_due_at`` and
``new_due_at``).

Receivers may tell the applicant the new date and why.
"""

step_extension_refused = Signal()
"""
Sent when an office head refused a time extension; the step's due date is unchanged.

Arguments: ``application``, ``step``, ``extension`` (refused, with the head's reason).

Receivers may tell the staff member who asked.
"""

# --- Deadlines (the hourly sweeps of ``deadlines.py``) ----------------------------------------

step_due_soon = Signal()
"""
Sent once per clock when an active step is due before the end of the next working day.

Arguments: ``application``, ``step``.

Receivers may remind the step's people.
"""

step_overdue = Signal()
"""
Sent once per clock when an active step passed its due time (the promised limit).

Arguments: ``application``, ``step``.

Receivers may tell the step's people.
"""

step_escalated = Signal()
"""
Sent once per clock after ``step_overdue``: the step is escalated to its office's heads.

Arguments: ``application``, ``step``.

Receivers may tell the office heads; the workbench lists it for supervision.
"""

step_supervised = Signal()
"""
Sent once per clock when a step is still open and the matter's statutory limit (法定时限) is
near (``APPLICATIONS_SUPERVISION_LEAD_DAYS`` working days, default 2) or past: the step is
escalated to the campus supervisors (督办).

Arguments: ``application``, ``step`` (its ``statutory_due_at``: when the statutory limit
ends).

Receivers may tell the supervisors, who list it and may issue a supervision instruction.
"""

supervision_instructed = Signal()
"""
Sent when a campus supervisor recorded a supervision instruction (督办) on an open step: what
the office must do and by when.

Arguments: ``application``, ``step``, ``instruction`` (the ``SupervisionInstruction``).

Receivers may tell the step's office and its heads.
"""

# --- Decision, delivery, closing ------------------------------------------------------------

application_decided = Signal()
"""
Sent when the application was decided: state ``approved`` or ``rejected`` (reason in
``application.decision_reason``), by the last step, a rejecting step, an acceptance without
steps or the handler's instant decision.

Arguments: ``application``, ``approved`` (bool).

Receivers may tell the applicant (notifications), open the result's delivery (delivery) and
queue the result document after commit (results).
"""

application_delivered = Signal()
"""
Sent by the delivery app, once, when a decided result reached the applicant (送达): an
electronic download, a locker pickup, a posted item confirmed or a window hand-over.

Arguments: ``application``, ``delivery`` (the ``ResultDelivery``), ``how``.

Receivers may invite the applicant to rate the service (ratings).
"""

application_closed = Signal()
"""
Sent when a decided application was closed (办结): state ``closed``.

Arguments: ``application``, ``before`` (the decided state).

Receivers may archive what they keep for open applications.
"""
