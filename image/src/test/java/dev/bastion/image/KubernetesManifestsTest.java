package dev.bastion.image;

import dev.bastion.config.BastionConfig;
import dev.bastion.config.ConfigLoader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/kubernetes: the base and each compliance overlay rendered offline with kubectl kustomize, every object
 * parsed strictly against the Kubernetes API model ({@link RenderedManifests}), then the policy the templates
 * promise (docs/deploy.md) checked object by object.
 */
class KubernetesManifestsTest {
    static final Path TEMPLATES = Path.of(System.getProperty("user.dir")).resolveSibling("deploy").resolve("kubernetes");

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/hipaa", "overlays/gdpr"})
    void everyPodIsUnprivilegedReadOnlyAndBounded(String variant) throws Exception {
        RenderedManifests m = RenderedManifests.render(TEMPLATES.resolve(variant));
        assertThat(m.all(Deployment.class)).isNotEmpty();
        for (Deployment d : m.all(Deployment.class)) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
            assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
            assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
            assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).as(v.getName()).isNull());
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            for (Container c : concat(pod.getInitContainers(), pod.getContainers())) {
                var sc = c.getSecurityContext();
                assertThat(sc).as(c.getName() + " securityContext").isNotNull();
                assertThat(sc.getPrivileged()).as("privileged").isNotEqualTo(Boolean.TRUE);
                assertThat(sc.getAllowPrivilegeEscalation()).as("allowPrivilegeEscalation").isFalse();
                assertThat(sc.getReadOnlyRootFilesystem()).as("readOnlyRootFilesystem").isTrue();
                assertThat(sc.getCapabilities().getDrop()).contains("ALL");
                assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
                assertThat(c.getImage()).as("image of " + c.getName()).satisfiesAnyOf(
                        i -> assertThat(i).contains("@sha256:"),
                        i -> assertThat(i).matches(".+:[^:/]+").doesNotEndWith(":latest"));
                Map<String, Quantity> limits = c.getResources().getLimits();
                assertThat(limits).as("limits of " + c.getName()).containsKeys("cpu", "memory");
                assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/hipaa", "overlays/gdpr"})
    void replicasSurviveDisruptionAndAreProbed(String variant) throws Exception {
        RenderedManifests m = RenderedManifests.render(TEMPLATES.resolve(variant));
        Deployment d = m.one(Deployment.class, "bastion");
        assertThat(d.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        PodDisruptionBudget pdb = m.one(PodDisruptionBudget.class, "bastion");
        assertThat(pdb.getSpec().getSelector().getMatchLabels())
                .isEqualTo(d.getSpec().getSelector().getMatchLabels());
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isBetween(1, d.getSpec().getReplicas() - 1);
        Container c = d.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(c.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
        ServiceMonitor sm = m.one(ServiceMonitor.class, "bastion");
        assertThat(sm.getSpec().getEndpoints()).anySatisfy(e -> assertThat(e.getPath()).isEqualTo("/metrics"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/hipaa", "overlays/gdpr"})
    void networkIsDeniedByDefaultAndEgressGoesOnlyWhereDeclared(String variant) throws Exception {
        RenderedManifests m = RenderedManifests.render(TEMPLATES.resolve(variant));
        NetworkPolicy deny = m.one(NetworkPolicy.class, "default-deny");
        assertThat(deny.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
        assertThat(deny.getSpec().getPodSelector().getMatchExpressions()).isNullOrEmpty();
        assertThat(deny.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(deny.getSpec().getIngress()).isNullOrEmpty();
        assertThat(deny.getSpec().getEgress()).isNullOrEmpty();
        for (NetworkPolicy p : m.all(NetworkPolicy.class)) {
            for (NetworkPolicyEgressRule r : Objects.requireNonNullElse(p.getSpec().getEgress(),
                    List.<NetworkPolicyEgressRule>of())) {
                assertThat(r.getTo()).as(p.getMetadata().getName() + ": an egress rule without 'to' allows any peer")
                        .isNotEmpty();
                assertThat(r.getPorts()).as("an egress rule without ports allows every port").isNotEmpty();
                r.getTo().forEach(peer -> {
                    if (peer.getIpBlock() != null) {
                        assertThat(peer.getIpBlock().getCidr()).isNotIn("0.0.0.0/0", "::/0");
                    } else {
                        assertThat(peer.getPodSelector()).as("a namespace-wide peer").isNotNull();
                    }
                });
            }
        }
        Deployment d = m.one(Deployment.class, "bastion");
        NetworkPolicy own = m.one(NetworkPolicy.class, "bastion");
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(own.getSpec().getPodSelector().getMatchLabels());
        int postgres = m.all(NetworkPolicy.class).stream().flatMap(p -> p.getSpec().getEgress() == null
                ? java.util.stream.Stream.empty() : p.getSpec().getEgress().stream())
                .filter(r -> r.getPorts().stream().anyMatch(port -> port.getPort().getIntVal() == 5432)).toList().size();
        assertThat(postgres).as("egress to PostgreSQL").isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/hipaa", "overlays/gdpr"})
    void configIsWhatBastionAcceptsWithSecretsOnlyFromSecrets(String variant, @TempDir Path tmp) throws Exception {
        RenderedManifests m = RenderedManifests.render(TEMPLATES.resolve(variant));
        ConfigMap cm = m.one(ConfigMap.class, "bastion-config");
        String yaml = cm.getData().get("bastion.yaml");
        assertThat(yaml).doesNotContainPattern("(?i)password\\s*:").doesNotContainPattern("(?i)\\bpin\\s*:");
        Path file = tmp.resolve("bastion.yaml");
        Files.writeString(file, yaml);
        BastionConfig cfg = ConfigLoader.load(file, Map.of("BASTION_STORE_USER", "u", "BASTION_STORE_PASSWORD", "p",
                "BASTION_HSM_PIN", "1234"));
        assertThat(cfg.store().toString()).containsIgnoringCase("postgres");
        assertThat(cfg.server().tls().toString()).containsIgnoringCase("files");
        Deployment d = m.one(Deployment.class, "bastion");
        Container c = d.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("BASTION_STORE_PASSWORD"))
                .singleElement().satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isNotBlank());
        assertThat(c.getEnv()).allSatisfy(e -> assertThat(e.getName().contains("PASSWORD") || e.getName().contains("PIN")
                ? e.getValue() : null).as(e.getName() + " must come from a Secret").isNull());
        // the listener's certificate: the Secret cert-manager writes, mounted where bastion.yaml reads it
        assertThat(d.getSpec().getTemplate().getSpec().getVolumes()).filteredOn(v -> v.getSecret() != null)
                .anySatisfy(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("bastion-tls"));
        assertThat(yaml).contains("/etc/bastion/tls/tls.crt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/hipaa"})
    void hipaaKeepsKeysInAnHsmAndThreeReplicas(String variant) throws Exception {
        RenderedManifests m = RenderedManifests.render(TEMPLATES.resolve(variant));
        Deployment d = m.one(Deployment.class, "bastion");
        assertThat(d.getSpec().getReplicas()).isGreaterThanOrEqualTo(3);
        assertThat(m.one(PodDisruptionBudget.class, "bastion").getSpec().getMinAvailable().getIntVal()).isEqualTo(2);
        String yaml = m.one(ConfigMap.class, "bastion-config").getData().get("bastion.yaml");
        assertThat(yaml).contains("provider: pkcs11").contains("client-auth: optional");
        assertThat(d.getSpec().getTemplate().getSpec().getVolumes()).noneSatisfy(v ->
                assertThat(v.getName()).isEqualTo("root-key"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/gdpr"})
    void gdprRunsOnEuNodesAndDeclaresOnlyEuBackends(String variant, @TempDir Path tmp) throws Exception {
        RenderedManifests m = RenderedManifests.render(TEMPLATES.resolve(variant));
        Deployment d = m.one(Deployment.class, "bastion");
        var terms = d.getSpec().getTemplate().getSpec().getAffinity().getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
        assertThat(terms).allSatisfy(t -> assertThat(t.getMatchExpressions()).anySatisfy(e -> {
            assertThat(e.getKey()).isEqualTo("topology.kubernetes.io/region");
            assertThat(e.getValues()).isNotEmpty().allMatch(r -> r.startsWith("eu-"));
        }));
        Path file = tmp.resolve("bastion.yaml");
        Files.writeString(file, m.one(ConfigMap.class, "bastion-config").getData().get("bastion.yaml"));
        BastionConfig cfg = ConfigLoader.load(file, Map.of());
        assertThat(cfg.backends()).isNotEmpty()
                .allSatisfy(b -> assertThat(b.attributes().get("region")).startsWith("eu-"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/hipaa", "overlays/gdpr"})
    void complianceProfilesPublishOnlyWitnessedCheckpointsAndMayReachTheWitnesses(String variant, @TempDir Path tmp)
            throws Exception {
        RenderedManifests m = RenderedManifests.render(TEMPLATES.resolve(variant));
        Path file = tmp.resolve("bastion.yaml");
        Files.writeString(file, m.one(ConfigMap.class, "bastion-config").getData().get("bastion.yaml"));
        BastionConfig cfg = ConfigLoader.load(file, Map.of("BASTION_HSM_PIN", "1234"));
        assertThat(cfg.audit().witnesses()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(cfg.audit().witnessQuorum()).isGreaterThan(cfg.audit().witnesses().size() / 2);
        NetworkPolicy w = m.one(NetworkPolicy.class, "bastion-witnesses");
        assertThat(w.getSpec().getEgress()).allSatisfy(r -> assertThat(r.getPorts())
                .allSatisfy(port -> assertThat(port.getPort().getIntVal()).isEqualTo(443)));
    }

    private static List<Container> concat(List<Container> a, List<Container> b) {
        return java.util.stream.Stream.concat(a == null ? java.util.stream.Stream.empty() : a.stream(),
                b.stream()).toList();
    }
}
