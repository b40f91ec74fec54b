package dev.bastion.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The package layout ARCHITECTURE.md describes, enforced. */
class PackageRulesTest {
    static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.bastion");
    }

    @Test
    void capabilityPackagesHaveNoCycles() {
        slices().matching("dev.bastion.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void thePipelineKnowsNoCapability() {
        noClasses().that().resideInAPackage("dev.bastion.pipeline..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.bastion.pipeline..", "java..",
                        "com.fasterxml.jackson..")
                .check(classes);
    }

    @Test
    void onlyTheServerAndCliAssembleTheApplication() {
        noClasses().that().resideOutsideOfPackages("dev.bastion.server..", "dev.bastion.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.bastion.server..", "dev.bastion.cli..")
                .check(classes);
    }

    @Test
    void onlyTheHttpLayerTouchesTheWebServer() {
        noClasses().that().resideInAnyPackage("dev.bastion.pipeline..", "dev.bastion.identity..",
                        "dev.bastion.route..", "dev.bastion.backend..", "dev.bastion.store..", "dev.bastion.config..")
                .should().dependOnClassesThat().resideInAPackage("io.helidon..")
                .check(classes);
    }

    /**
     * What Bastion stores sealed goes through the barrier's storage API ({@code BarrierStore}, path = associated
     * data): no other package calls the cipher itself and keeps the ciphertext with its own SQL. The one exception is
     * the console's sign-in flow state, sealed for the browser to hold a few minutes and never stored.
     */
    @Test
    void onlyTheBarriersStorageApiSealsWhatIsStored() {
        noClasses().that().resideOutsideOfPackage("dev.bastion.barrier..")
                .and().doNotHaveFullyQualifiedName("dev.bastion.console.SignInRoutes")
                .should().callMethodWhere(target(owner(assignableTo(dev.bastion.barrier.Barrier.class)))
                        .and(target(name("encrypt")).or(target(name("decrypt")))
                                .or(target(name("encryptingStream"))).or(target(name("decryptingStream")))))
                .orShould().dependOnClassesThat().belongToAnyOf(dev.bastion.barrier.RecordCipher.class)
                .check(classes);
    }

    /**
     * Every network connection the server makes goes through the egress gate. The CLI (and the log verifier it
     * drives) are clients of a server the operator names, not the server; the local engine is reached over a
     * Unix-domain socket, which has no network.
     */
    @Test
    void onlyTheEgressGateOpensNetworkConnections() {
        String[] clients = {"dev.bastion.egress..", "dev.bastion.cli.."};
        noClasses().that().resideOutsideOfPackages(clients).and().doNotHaveFullyQualifiedName("dev.bastion.audit.LogSource")
                .should().callConstructorWhere(target(owner(assignableTo(java.net.Socket.class))))
                .orShould().callConstructorWhere(target(owner(assignableTo(java.net.DatagramSocket.class))))
                .orShould().dependOnClassesThat().belongToAnyOf(java.net.http.HttpClient.class,
                        java.net.URLConnection.class, java.net.HttpURLConnection.class, javax.net.SocketFactory.class,
                        java.nio.channels.DatagramChannel.class, java.nio.channels.AsynchronousSocketChannel.class)
                .orShould().callMethodWhere(target(name("openConnection")).and(target(owner(assignableTo(java.net.URL.class)))))
                .orShould().callMethodWhere(target(name("openStream")).and(target(owner(assignableTo(java.net.URL.class)))))
                .check(classes);
        noClasses().that().resideOutsideOfPackages(clients)
                .and().doNotHaveFullyQualifiedName("dev.bastion.backend.UpstreamConnection")
                .and().doNotHaveFullyQualifiedName("dev.bastion.localengine.UnixSocketHttpClient")
                // the engine worker's test-only probe: it tries to open a socket from inside the locked-down worker
                // (a separate process without network) and must be refused by the kernel
                .and().doNotHaveFullyQualifiedName("dev.bastion.engine.EscapeProbes")
                .should().callMethodWhere(target(owner(assignableTo(java.nio.channels.SocketChannel.class)))
                        .and(target(name("open")).or(target(name("connect")))))
                .check(classes);
    }
}
