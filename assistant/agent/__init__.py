"""The agent: tool-calling loop, grounding check, memory of shown products."""
