package dev.bastion.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.bastion.policy.Requests.req;
import static dev.bastion.policy.Requests.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyHolderTest {
    static final String V1 = "version: 1\nrules: [{id: v1, effect: permit, roles: [developer], actions: [model.list]}]\n";
    static final String V2 = "version: 1\nrules: [{id: v2, effect: permit, roles: [developer], actions: [model.list, model.invoke]}]\n";
    static final String BROKEN = "version: 1\nrules: [{id: v3, effect: permit, roles: [developer], actions: [model.lst]}]\n";

    @TempDir
    Path dir;

    boolean mayInvoke(PolicyHolder h) {
        return h.decide(req(user("developer"), Action.MODEL_INVOKE, Resource.model("m"))).allowed();
    }

    @Test
    void reloadAppliesAValidFile() throws Exception {
        Path f = dir.resolve("policy.yaml");
        Files.writeString(f, V1);
        try (var h = PolicyHolder.open(f)) {
            assertThat(mayInvoke(h)).isFalse();
            Files.writeString(f, V2);
            var r = h.reload();
            assertThat(r).isInstanceOf(ReloadResult.Applied.class);
            assertThat(((ReloadResult.Applied) r).rules()).isEqualTo(1);
            assertThat(mayInvoke(h)).isTrue();
            assertThat(h.reload()).isInstanceOf(ReloadResult.Unchanged.class);
        }
    }

    @Test
    void anInvalidFileKeepsTheOldPolicyRunningAndSaysWhy() throws Exception {
        Path f = dir.resolve("policy.yaml");
        Files.writeString(f, V2);
        try (var h = PolicyHolder.open(f)) {
            String before = h.current().digest();
            Files.writeString(f, BROKEN);
            var r = h.reload();
            assertThat(r).isInstanceOfSatisfying(ReloadResult.Rejected.class, rej -> {
                assertThat(rej.digest()).isEqualTo(before);
                assertThat(rej.errors()).anySatisfy(e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.message()).contains("unknown action 'model.lst'");
                });
            });
            assertThat(h.current().digest()).isEqualTo(before);
            assertThat(h.lastResult()).isSameAs(r);
            assertThat(mayInvoke(h)).isTrue();
            Files.delete(f);
            assertThat(h.reload()).isInstanceOf(ReloadResult.Rejected.class);
            assertThat(mayInvoke(h)).isTrue();
        }
    }

    @Test
    void anInvalidFileAtStartIsAnError() throws Exception {
        Path f = dir.resolve("policy.yaml");
        Files.writeString(f, BROKEN);
        assertThatThrownBy(() -> PolicyHolder.open(f)).isInstanceOf(PolicyCompileException.class);
    }

    @Test
    void aChangedFileIsPickedUpByTheWatcher() throws Exception {
        Path f = dir.resolve("policy.yaml");
        Files.writeString(f, V1);
        try (var h = PolicyHolder.open(f)) {
            var applied = new CompletableFuture<ReloadResult>();
            var rejected = new CompletableFuture<ReloadResult>();
            h.addListener(r -> {
                if (r instanceof ReloadResult.Applied) applied.complete(r);
                if (r instanceof ReloadResult.Rejected) rejected.complete(r);
            });
            h.watch();
            // replace by rename, as editors and ConfigMaps do
            Path tmp = dir.resolve("policy.yaml.tmp");
            Files.writeString(tmp, V2);
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            applied.get(30, TimeUnit.SECONDS);
            assertThat(mayInvoke(h)).isTrue();
            Files.writeString(f, BROKEN);
            rejected.get(30, TimeUnit.SECONDS);
            assertThat(mayInvoke(h)).isTrue();
        }
    }

    @Test
    void decisionsDuringReloadsAlwaysComeFromAWholePolicy() throws Exception {
        Path f = dir.resolve("policy.yaml");
        Files.writeString(f, V1);
        try (var h = PolicyHolder.open(f)) {
            var stop = new AtomicBoolean();
            var bad = new AtomicLong();
            var decided = new AtomicLong();
            var reader = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    var d = h.decide(req(user("developer"), Action.MODEL_LIST, Resource.model("m")));
                    if (!d.allowed() || d.ruleIds().size() != 1) bad.incrementAndGet();
                    decided.incrementAndGet();
                }
            });
            for (int i = 0; i < 40; i++) {
                Files.writeString(f, i % 3 == 2 ? BROKEN : (i % 2 == 0 ? V2 : V1));
                h.reload();
            }
            stop.set(true);
            reader.join();
            assertThat(decided.get()).isPositive();
            assertThat(bad.get()).isZero();
        }
    }
}
