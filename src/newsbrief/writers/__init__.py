"""Writers turn a story's articles into a Brief; every writer's output passes grounding.check."""
