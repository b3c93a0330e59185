"""deploy/k8s: every manifest is valid against the Kubernetes schemas (strict: an unknown or
misspelt field fails), offline, with the schemas the package kubernetes-validate ships; and the
properties the platform needs of them hold."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from django.test import Client

from tests.conftest import REPO

K8S = REPO / "deploy" / "k8s"
VERSION = "1.30.0"


def _documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def _resources() -> list[dict[str, Any]]:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))
    return [doc for name in kustomization["resources"] for doc in _documents(K8S / name)]


def _one(kind: str, name: str) -> dict[str, Any]:
    found = [r for r in _resources() if r["kind"] == kind and r["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind}/{name}"
    return found[0]


def _containers(resource: dict[str, Any]) -> list[dict[str, Any]]:
    return list(resource["spec"]["template"]["spec"]["containers"])


def test_the_kustomization_lists_every_manifest_of_the_folder() -> None:
    listed = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))["resources"]
    on_disk = sorted(p.name for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")
    assert sorted(listed) == on_disk


@pytest.mark.parametrize("resource", _resources(), ids=lambda r: f"{r['kind']}/{r['metadata']['name']}")
def test_each_manifest_is_valid_against_the_kubernetes_schema(resource: dict[str, Any]) -> None:
    assert kubernetes_validate.validate(resource, VERSION, strict=True) == "1.30"


def test_the_validator_refuses_a_misspelt_field_and_a_wrong_type() -> None:
    web = copy.deepcopy(_one("Deployment", "rongthuk-web"))
    web["spec"]["replica"] = 2
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(web, VERSION, strict=True)
    web = copy.deepcopy(_one("Deployment", "rongthuk-web"))
    web["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = "8000"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(web, VERSION, strict=True)


def test_the_kinds_the_platform_needs_are_all_there() -> None:
    kinds = sorted(f"{r['kind']}/{r['metadata']['name']}" for r in _resources())
    assert kinds == [
        "ConfigMap/rongthuk", "Deployment/rongthuk-beat", "Deployment/rongthuk-web", "Deployment/rongthuk-worker",
        "HorizontalPodAutoscaler/rongthuk-web", "Ingress/rongthuk", "Job/rongthuk-migrate", "Namespace/rongthuk",
        "PersistentVolumeClaim/rongthuk-media", "PodDisruptionBudget/rongthuk-web", "Service/rongthuk-web",
    ]


def test_beat_is_a_single_replica_that_is_never_two_during_a_rollout() -> None:
    beat = _one("Deployment", "rongthuk-beat")
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    assert _containers(beat)[0]["command"][:4] == ["celery", "-A", "rongthuk.celery", "beat"]


def test_migrations_run_as_a_job_of_the_resumable_command() -> None:
    job = _one("Job", "rongthuk-migrate")
    assert _containers(job)[0]["command"] == ["rongthuk", "bodies", "migrate"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


def test_web_probes_ask_the_pods_ip_for_healthz_and_readyz() -> None:
    web = _containers(_one("Deployment", "rongthuk-web"))[0]
    for probe in ("startupProbe", "livenessProbe"):
        assert web[probe]["httpGet"] == {"path": "/healthz", "port": "http"}  # no Host header: the pod's IP
    assert web["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert web["ports"] == [{"name": "http", "containerPort": 8000}]
    assert web["command"] == ["gunicorn", "-c", "deploy/gunicorn.conf.py", "rongthuk.wsgi:application"]


@pytest.mark.django_db
def test_healthz_answers_a_probe_addressed_to_a_pod_ip() -> None:
    """What the kubelet sends: GET /healthz with Host <pod IP>:<port>, no body's name."""
    response = Client().get("/healthz", HTTP_HOST="10.244.3.17:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "schema": None, "dla_code": None}


def test_every_container_has_requests_and_limits() -> None:
    for resource in _resources():
        if resource["kind"] not in ("Deployment", "Job"):
            continue
        for container in _containers(resource):
            assert set(container["resources"]["limits"]) == {"cpu", "memory"}, resource["metadata"]["name"]
            assert set(container["resources"]["requests"]) == {"cpu", "memory"}, resource["metadata"]["name"]


def test_the_autoscaler_scales_the_web_deployment_on_cpu() -> None:
    hpa = _one("HorizontalPodAutoscaler", "rongthuk-web")
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "rongthuk-web"}
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (2, 12)
    assert hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu"


def test_the_ingress_sends_the_platform_host_and_every_sub_domain_to_the_web_service() -> None:
    ingress = _one("Ingress", "rongthuk")
    domain = _one("ConfigMap", "rongthuk")["data"]["PLATFORM_DOMAIN"]
    assert [rule["host"] for rule in ingress["spec"]["rules"]] == [domain, f"*.{domain}"]
    backends = {path["backend"]["service"]["name"] for rule in ingress["spec"]["rules"]
                for path in rule["http"]["paths"]}
    assert backends == {"rongthuk-web"}
    assert ingress["spec"]["tls"][0]["hosts"] == [domain, f"*.{domain}"]


def test_every_pod_reads_the_same_settings() -> None:
    for name in ("rongthuk-web", "rongthuk-worker", "rongthuk-beat"):
        for container in _containers(_one("Deployment", name)):
            assert container["envFrom"] == [{"configMapRef": {"name": "rongthuk"}},
                                            {"secretRef": {"name": "rongthuk"}}]
