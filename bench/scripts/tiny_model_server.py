# A tiny OpenAI-speaking model server (GET /v1/models, POST /v1/chat/completions) for timing the newcomer path;
# it stands in for vLLM, llama.cpp server or LM Studio. Usage: python3 tiny_model_server.py PORT
import json, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class H(BaseHTTPRequestHandler):
    def _send(self, code, obj):
        b = json.dumps(obj).encode()
        self.send_response(code); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(b))); self.end_headers(); self.wfile.write(b)
    def do_GET(self):
        if self.path == "/v1/models":
            self._send(200, {"object": "list", "data": [{"id": "tiny-model", "object": "model", "owned_by": "me"}]})
        else:
            self._send(404, {"error": {"message": "not found"}})
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        if self.path == "/v1/chat/completions":
            self._send(200, {"id": "c1", "object": "chat.completion", "created": int(time.time()), "model": body.get("model"),
                "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello from the tiny model."}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 6, "total_tokens": 7}})
        else:
            self._send(404, {"error": {"message": "not found"}})
    def log_message(self, *a): pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
