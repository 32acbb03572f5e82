"""%%remote engine=kubernetes as a notebook user meets it where no cluster is reachable: the cell fails with what
is missing and the fix, and nothing runs elsewhere instead. (The engine itself is tested against fabric8's mock
API server in remote-exec's KubernetesEngineTest; docs/kubernetes.md says what a real cluster would add.)"""
from __future__ import annotations

import os
import tempfile

from conftest import Kernel, strip_ansi


def error_of(extra_env: dict, code: str = "%%remote engine=kubernetes\n1 + 1") -> str:
    k = Kernel(extra_env=extra_env)
    try:
        r = k.execute_replied(code, 120)
        assert r.errors, r.describe()
        return strip_ansi(r.error_text())
    finally:
        k.close()


def test_no_kubeconfig_is_a_clear_error():
    missing = os.path.join(tempfile.mkdtemp(prefix="ferry-kube-"), "config")
    text = error_of({"KUBECONFIG": missing})
    assert f"no kubeconfig at {missing}: set KUBECONFIG" in text, text


def test_an_api_server_that_does_not_answer_is_a_clear_error():
    d = tempfile.mkdtemp(prefix="ferry-kube-")
    kc = os.path.join(d, "config")
    with open(kc, "w") as f:  # port 9 on loopback: nothing listens
        f.write("apiVersion: v1\nkind: Config\n"
                "clusters: [{name: c, cluster: {server: 'http://127.0.0.1:9'}}]\n"
                "users: [{name: u, user: {token: t}}]\n"
                "contexts: [{name: x, context: {cluster: c, user: u, namespace: ferry}}]\n"
                "current-context: x\n")
    text = error_of({"KUBECONFIG": kc, "FERRY_ENGINE": "kubernetes"}, "%%remote\n1 + 1")
    assert "no Kubernetes API server answers at http://127.0.0.1:9" in text and "kubectl get pods" in text, text
