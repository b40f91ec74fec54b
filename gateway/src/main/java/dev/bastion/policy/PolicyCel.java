package dev.bastion.policy;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CEL environment rule conditions are checked and run in. Variables are declared as struct types, so a
 * misspelt field ({@code principal.rolez}) or a type error ({@code request.purpose > 3}) fails when the policy is
 * loaded, not when a request arrives. At run time the structs are plain maps (see {@link Activation}).
 */
final class PolicyCel {
    private static final CelOptions OPTIONS = CelOptions.current().build();

    /** {@code ip_in_cidr(ip, cidr)}: address literals only, never a DNS lookup. */
    private static final String IP_IN_CIDR = "ip_in_cidr";

    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .setOptions(OPTIONS)
            .addFunctionBindings(CelFunctionBinding.from("ip_in_cidr_string_string", String.class, String.class,
                    PolicyCel::ipInCidr))
            .build();

    private final CelCompiler compiler;

    PolicyCel(Map<String, AttributeType> principalAttributes, Map<String, AttributeType> resourceAttributes) {
        var principalAttrs = struct("bastion.PrincipalAttributes", celTypes(principalAttributes));
        var resourceAttrs = struct("bastion.ResourceAttributes", celTypes(resourceAttributes));
        var principal = struct("bastion.Principal", ordered(
                "id", SimpleType.STRING,
                "type", SimpleType.STRING,
                "roles", ListType.create(SimpleType.STRING),
                "auth_method", SimpleType.STRING,
                "model_scope", ListType.create(SimpleType.STRING),
                "attributes", principalAttrs));
        var resource = struct("bastion.Resource", ordered(
                "kind", SimpleType.STRING,
                "name", SimpleType.STRING,
                "labels", MapType.create(SimpleType.STRING, SimpleType.STRING),
                "backend", SimpleType.STRING,
                "region", SimpleType.STRING,
                "max_classification", SimpleType.STRING,
                "max_classification_level", SimpleType.INT,
                "attributes", resourceAttrs,
                "approval", SimpleType.STRING,
                "attested", SimpleType.BOOL,
                "tee", SimpleType.STRING,
                "measurement", SimpleType.STRING));
        var consent = struct("bastion.Consent", ordered(
                "basis", SimpleType.BOOL,
                "missing", SimpleType.INT,
                "bases", ListType.create(SimpleType.STRING),
                "sale_opt_out", SimpleType.BOOL));
        var request = struct("bastion.Request", ordered(
                "purpose", SimpleType.STRING,
                "subjects", ListType.create(SimpleType.STRING),
                "classification", SimpleType.STRING,
                "classification_level", SimpleType.INT,
                "declared_classification", SimpleType.STRING,
                "client_ip", SimpleType.STRING,
                "time", SimpleType.TIMESTAMP,
                "findings", MapType.create(SimpleType.STRING, SimpleType.INT),
                "consent", consent));
        List<CelType> types = List.of(principalAttrs, resourceAttrs, principal, resource, consent, request);
        this.compiler = CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setTypeProvider(new FixedTypes(types))
                .addVar("principal", principal)
                .addVar("resource", resource)
                .addVar("request", request)
                .addVar("action", SimpleType.STRING)
                .addFunctionDeclarations(CelFunctionDecl.newFunctionDeclaration(IP_IN_CIDR,
                        CelOverloadDecl.newGlobalOverload("ip_in_cidr_string_string", SimpleType.BOOL,
                                SimpleType.STRING, SimpleType.STRING)))
                .setResultType(SimpleType.BOOL)
                .build();
    }

    /** Parses and type-checks a condition; the result holds either the AST or the errors with positions. */
    CelValidationResult compile(String expression) { return compiler.compile(expression); }

    static CelRuntime.Program program(CelAbstractSyntaxTree ast) {
        try {
            return RUNTIME.createProgram(ast);
        } catch (dev.cel.common.CelException e) {
            throw new IllegalStateException("checked CEL expression failed to plan", e);
        }
    }

    private static Object ipInCidr(String ip, String cidr) throws CelEvaluationException {
        try {
            return Cidr.cached(cidr).contains(ip);
        } catch (IllegalArgumentException e) {
            throw new CelEvaluationException("ip_in_cidr: not an address literal or CIDR block");
        }
    }

    private static Map<String, CelType> celTypes(Map<String, AttributeType> schema) {
        var out = new LinkedHashMap<String, CelType>();
        schema.forEach((k, v) -> out.put(k, v.celType));
        return out;
    }

    private static Map<String, CelType> ordered(Object... kv) {
        var out = new LinkedHashMap<String, CelType>();
        for (int i = 0; i < kv.length; i += 2) out.put((String) kv[i], (CelType) kv[i + 1]);
        return out;
    }

    private static StructType struct(String name, Map<String, CelType> fields) {
        var copy = Map.copyOf(fields);
        return StructType.create(name, ImmutableSet.copyOf(fields.keySet()), f -> Optional.ofNullable(copy.get(f)));
    }

    private record FixedTypes(List<CelType> list) implements CelTypeProvider {
        @Override
        public ImmutableCollection<CelType> types() { return ImmutableList.copyOf(list); }

        @Override
        public Optional<CelType> findType(String typeName) {
            return list.stream().filter(t -> t.name().equals(typeName)).findFirst();
        }
    }
}
