package dev.bastion.cli;

import dev.bastion.policy.Policy;
import dev.bastion.policy.PolicyCases;
import dev.bastion.policy.PolicyCompileException;
import dev.bastion.policy.PolicyError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code bastion policy check FILE} and {@code bastion policy test CASES [--policy FILE]}. Exit code 0 when the
 * policy compiles / every case passes, 1 otherwise, 2 for usage errors, so CI can gate on it.
 */
@Command(name = "policy", description = "Check policy files and run expected-decision tests.",
        mixinStandardHelpOptions = true, subcommands = {PolicyCommand.Check.class, PolicyCommand.Test.class})
public final class PolicyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    @Command(name = "check", description = "Compile a policy file and report every error with file:line.",
            mixinStandardHelpOptions = true)
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "policy YAML file")
        Path file;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                Policy p = Policy.load(file);
                out.printf("OK %s: %d rules, %s%n", file, p.ruleCount(), p.digest());
                return 0;
            } catch (PolicyCompileException e) {
                for (PolicyError pe : e.errors()) err.println(pe);
                err.printf("INVALID %s: %d error(s)%n", file, e.errors().size());
                return 1;
            } catch (IOException e) {
                err.printf("cannot read %s: %s%n", file, e.getClass().getSimpleName());
                return 1;
            }
        }
    }

    @Command(name = "test", description = "Run the expected decisions of a cases file against a policy.",
            mixinStandardHelpOptions = true)
    static final class Test implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "CASES", description = "cases YAML file")
        Path casesFile;

        @Option(names = "--policy", paramLabel = "FILE",
                description = "policy to test (default: the one the cases file names, else the shipped default)")
        Path policyFile;

        @Option(names = {"-v", "--verbose"}, description = "print passing cases too")
        boolean verbose;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            PolicyCases cases;
            try {
                cases = PolicyCases.load(casesFile);
            } catch (PolicyCompileException e) {
                for (PolicyError pe : e.errors()) err.println(pe);
                err.printf("INVALID %s%n", casesFile);
                return 1;
            } catch (IOException e) {
                err.printf("cannot read %s: %s%n", casesFile, e.getClass().getSimpleName());
                return 1;
            }
            Path target = policyFile != null ? policyFile : cases.policyFile();
            Policy policy;
            try {
                policy = target == null ? Policy.loadDefault() : Policy.load(target);
            } catch (PolicyCompileException e) {
                for (PolicyError pe : e.errors()) err.println(pe);
                err.printf("INVALID %s%n", target);
                return 1;
            } catch (IOException e) {
                err.printf("cannot read %s: %s%n", target, e.getClass().getSimpleName());
                return 1;
            }
            var report = cases.run(policy);
            for (var r : report.results()) {
                var c = r.testCase();
                if (!r.passed()) {
                    out.printf("FAIL %s:%d %s: %s%n", casesFile, c.line(), c.name(), r.detail());
                } else if (verbose) {
                    out.printf("PASS %s%n", c.name());
                }
            }
            out.printf("policy %s (%s): %d cases, %d passed, %d failed%n",
                    target == null ? "default" : target, policy.digest().substring(0, 19),
                    report.results().size(), report.passed(), report.failed());
            return report.ok() ? 0 : 1;
        }
    }
}
