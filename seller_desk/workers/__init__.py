"""The only bridge from Qt to background work: the task manager's executors and operation objects."""

from seller_desk.workers.ops import Op, OpCancelled, OpContext, Progress
from seller_desk.workers.taskman import Lane, TaskManager, WrongThreadError

__all__ = ["Lane", "Op", "OpCancelled", "OpContext", "Progress", "TaskManager", "WrongThreadError"]
