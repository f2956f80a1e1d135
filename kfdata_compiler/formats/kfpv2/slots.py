"""KFP v2 IR's placement table: where each kind of injection goes, relative to the node an
action's ``at`` names (the owner is always a whole document: 0 the pipeline, 1 the platform).

    SLOTS["env"]             ->  <executor>.container.env         (named entries)
    SLOTS["task_input_artifact"] -> <task>.inputs.artifacts        (keys; ``into`` replaces one)
    SLOTS["dag_task"]        ->  <root or DAG component>.dag.tasks (kfdata's importer tasks)

The passes, undo (:mod:`.journal`) and validation read it.
"""

from __future__ import annotations

from kfdata_compiler.formats.base import Slot
from kfdata_compiler.formats.kfpv2 import ir

SLOTS: dict[str, Slot] = {
    # On the pipeline document (``at``: a component, an executor, a task or a DAG holder).
    "component": Slot("pipeline", ("components",), "map"),
    "executor": Slot("pipeline", ("deploymentSpec", "executors"), "map"),
    "dag_task": Slot("dag", ("dag", "tasks"), "map"),
    "input_artifact_def": Slot("component", ("inputDefinitions", "artifacts"), "map"),
    "input_parameter_def": Slot("component", ("inputDefinitions", "parameters"), "map"),
    "component_field": Slot("component", (), "map", restores="value"),  # executorLabel
    "task_input_artifact": Slot("task", ("inputs", "artifacts"), "map", restores="replaced"),
    "task_input_parameter": Slot("task", ("inputs", "parameters"), "map"),
    "task_field": Slot("task", (), "map", restores="value"),  # dependentTasks
    "caching": Slot("task", ("cachingOptions",), "map", restores="value"),
    "component_ref": Slot("task", ("componentRef",), "map", restores="value"),
    "env": Slot("executor", ("container", "env"), "list"),
    # On the platform document.
    "platform_executor": Slot("platform", ir.PLATFORM_EXECUTORS, "map"),
    "platform_field": Slot("platform_executor", (), "map", restores="value"),  # pvcMount
    "pod_annotation": Slot("platform_executor", ("podMetadata", "annotations"), "map"),
    "workspace": Slot("platform", ("platforms", "kubernetes", "pipelineConfig", "workspace"),
                      "field"),
    "lineage": Slot("platform", ("platforms", "kfdata", "config"), "map"),
}
# The task and component fields a plan may set (rewire), with what undo gives back.
FIELDS = frozenset({"dependentTasks", "enableCache", "executorLabel", "name", "pvcMount"})
JOURNAL_AT: tuple[str, ...] = ("platforms", "kfdata", "config")
JOURNAL_KEY = "edits"
