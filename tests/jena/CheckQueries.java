// Parses SPARQL query files with Jena ARQ's strict SPARQL 1.1 parser and checks that each stays in the
// subset that Oxigraph, Jena and Virtuoso evaluate alike (queries/README.md, "Portable SPARQL"). One JVM for
// every file: run as `java -cp CLASSPATH CheckQueries.java FILE...` (tests/jena_launcher.py builds the class
// path from Debian's libapache-jena-java). Prints one line per problem, `FILE: message`, and nothing for a
// file without problems; exits 1 when there was a problem, 0 when there was none.
//
// Written for Jena 4.5 (Debian bookworm); the checks read the syntax tree and the algebra of each query:
// - an aggregate inside an expression in SELECT (Virtuoso 7.2.5: "SQ156 Internal Optimized compiler error");
// - a VALUES block of two or more variables holding a language-tagged literal (Virtuoso matches nothing);
// - a required triple pattern whose predicate comes from VALUES or a subquery, in a group with an OPTIONAL
//   (Virtuoso: "SP031 ... ssg_print_rvr_fixed_val(): no SPART_VARR_FIXED" when the predicate comes from a
//   subquery, or from a VALUES block joined with another one, as the parameters' is);
// - CONCAT over a value that may be unbound (Virtuoso takes it for "" where the others give no value);
// - GROUP_CONCAT over a value that may be unbound (over a group without one Virtuoso gives "" where the others
//   give no value);
// - BOUND() in the expression of a BIND or of SELECT (Virtuoso answered BOUND(?address) true for an unbound
//   ?address in project-details; in a FILTER it answers right).
// Not checked here (queries/README.md lists them): ORDER BY a string from the store without STR(), a path to
// a parameter joined after the page, a lookup with both the property and the literal from VALUES.

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.jena.graph.Node;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.Syntax;
import org.apache.jena.sparql.algebra.Algebra;
import org.apache.jena.sparql.algebra.Op;
import org.apache.jena.sparql.algebra.OpVars;
import org.apache.jena.sparql.algebra.op.Op1;
import org.apache.jena.sparql.algebra.op.Op2;
import org.apache.jena.sparql.algebra.op.OpExtend;
import org.apache.jena.sparql.algebra.op.OpFilter;
import org.apache.jena.sparql.algebra.op.OpGraph;
import org.apache.jena.sparql.algebra.op.OpGroup;
import org.apache.jena.sparql.algebra.op.OpJoin;
import org.apache.jena.sparql.algebra.op.OpLeftJoin;
import org.apache.jena.sparql.algebra.op.OpMinus;
import org.apache.jena.sparql.algebra.op.OpN;
import org.apache.jena.sparql.algebra.op.OpProject;
import org.apache.jena.sparql.algebra.op.OpSequence;
import org.apache.jena.sparql.algebra.op.OpUnion;
import org.apache.jena.sparql.core.TriplePath;
import org.apache.jena.sparql.core.Var;
import org.apache.jena.sparql.engine.binding.Binding;
import org.apache.jena.sparql.expr.E_Bound;
import org.apache.jena.sparql.expr.E_Coalesce;
import org.apache.jena.sparql.expr.E_LogicalAnd;
import org.apache.jena.sparql.expr.E_StrConcat;
import org.apache.jena.sparql.expr.Expr;
import org.apache.jena.sparql.expr.ExprAggregator;
import org.apache.jena.sparql.expr.ExprFunction;
import org.apache.jena.sparql.expr.ExprFunctionOp;
import org.apache.jena.sparql.expr.ExprList;
import org.apache.jena.sparql.expr.aggregate.AggCount;
import org.apache.jena.sparql.expr.aggregate.AggCountDistinct;
import org.apache.jena.sparql.expr.aggregate.AggCountVar;
import org.apache.jena.sparql.expr.aggregate.AggCountVarDistinct;
import org.apache.jena.sparql.expr.aggregate.AggGroupConcat;
import org.apache.jena.sparql.expr.aggregate.AggGroupConcatDistinct;
import org.apache.jena.sparql.expr.aggregate.Aggregator;
import org.apache.jena.sparql.syntax.Element;
import org.apache.jena.sparql.syntax.ElementData;
import org.apache.jena.sparql.syntax.ElementGroup;
import org.apache.jena.sparql.syntax.ElementMinus;
import org.apache.jena.sparql.syntax.ElementNamedGraph;
import org.apache.jena.sparql.syntax.ElementOptional;
import org.apache.jena.sparql.syntax.ElementPathBlock;
import org.apache.jena.sparql.syntax.ElementSubQuery;
import org.apache.jena.sparql.syntax.ElementUnion;
import org.apache.jena.sparql.syntax.ElementVisitorBase;
import org.apache.jena.sparql.syntax.ElementWalker;

public class CheckQueries {
    public static void main(String[] args) throws Exception {
        boolean failed = false;
        for (String file : args) {
            List<String> problems = new ArrayList<>();
            try {
                Query query = QueryFactory.create(Files.readString(Path.of(file)), Syntax.syntaxSPARQL_11);
                chosenProperties = valuesVariables(query);
                checkQuery(query, problems);
                checkConcat(Algebra.compile(query), Set.of(), problems);
            } catch (Exception e) {
                problems.add(String.valueOf(e.getMessage()));
            }
            for (String problem : problems) {
                System.out.println(file + ": " + problem.replaceAll("\\s+", " ").strip());
                failed = true;
            }
        }
        System.exit(failed ? 1 : 0);
    }

    /** The variables of the VALUES blocks of the query being checked: properties chosen by VALUES among them. */
    static Set<Var> chosenProperties = Set.of();

    static Set<Var> valuesVariables(Query query) {
        Set<Var> found = new HashSet<>();
        if (query.hasValues()) {
            found.addAll(query.getValuesVariables());
        }
        if (query.getQueryPattern() != null) {
            ElementWalker.walk(query.getQueryPattern(), new ElementVisitorBase() {
                @Override
                public void visit(ElementData data) {
                    found.addAll(data.getVars());
                }

                @Override
                public void visit(ElementSubQuery subquery) {
                    found.addAll(valuesVariables(subquery.getQuery()));
                }
            });
        }
        return found;
    }

    /** The syntax checks, for a query and each of its subqueries. */
    static void checkQuery(Query query, List<String> problems) {
        if (query.isSelectType()) {
            for (Var var : query.getProject().getVars()) {
                Expr expr = query.getProject().getExpr(var);
                if (expr != null && !(expr instanceof ExprAggregator) && hasAggregate(expr)) {
                    problems.add("?" + var.getVarName() + " wraps an aggregate in an expression in SELECT "
                            + "(aggregate alone, then combine outside a subquery, or combine per row before)");
                }
            }
        }
        if (query.hasValues()) {
            checkValues(query.getValuesVariables(), query.getValuesData(), problems);
        }
        if (query.getQueryPattern() != null) {
            checkElement(query.getQueryPattern(), problems);
        }
    }

    static boolean hasAggregate(Expr expr) {
        if (expr instanceof ExprAggregator) {
            return true;
        }
        if (expr instanceof ExprFunction && !(expr instanceof ExprFunctionOp)) {
            for (Expr arg : ((ExprFunction) expr).getArgs()) {
                if (hasAggregate(arg)) {
                    return true;
                }
            }
        }
        return false;
    }

    static void checkValues(List<Var> vars, List<Binding> rows, List<String> problems) {
        if (vars.size() < 2) {
            return;
        }
        for (Binding row : rows) {
            for (Var var : vars) {
                Node value = row.get(var);
                if (value != null && value.isLiteral() && !value.getLiteralLanguage().isEmpty()) {
                    problems.add("a VALUES block of " + vars.size() + " variables holds a language-tagged "
                            + "literal (?" + var.getVarName() + " " + value + "): give each such variable "
                            + "a VALUES block of its own");
                    return;
                }
            }
        }
    }

    static void checkElement(Element element, List<String> problems) {
        if (element instanceof ElementGroup) {
            List<Element> children = ((ElementGroup) element).getElements();
            boolean optional = children.stream().anyMatch(child -> child instanceof ElementOptional);
            Set<Var> chosen = new HashSet<>(chosenProperties);
            for (Element child : children) {
                if (child instanceof ElementSubQuery) {
                    chosen.addAll(((ElementSubQuery) child).getQuery().getProjectVars());
                }
            }
            for (Element child : children) {
                if (optional && child instanceof ElementPathBlock) {
                    for (TriplePath triple : ((ElementPathBlock) child).getPattern().getList()) {
                        Node predicate = triple.getPredicate();
                        if (predicate != null && predicate.isVariable() && chosen.contains(predicate)) {
                            problems.add("the required pattern " + triple + " takes its predicate from VALUES "
                                    + "or a subquery beside an OPTIONAL (write OPTIONAL { ... } FILTER(BOUND(...)))");
                        }
                    }
                }
                checkElement(child, problems);
            }
        } else if (element instanceof ElementOptional) {
            checkElement(((ElementOptional) element).getOptionalElement(), problems);
        } else if (element instanceof ElementUnion) {
            for (Element branch : ((ElementUnion) element).getElements()) {
                checkElement(branch, problems);
            }
        } else if (element instanceof ElementMinus) {
            checkElement(((ElementMinus) element).getMinusElement(), problems);
        } else if (element instanceof ElementNamedGraph) {
            checkElement(((ElementNamedGraph) element).getElement(), problems);
        } else if (element instanceof ElementSubQuery) {
            checkQuery(((ElementSubQuery) element).getQuery(), problems);
        } else if (element instanceof ElementData) {
            ElementData data = (ElementData) element;
            checkValues(data.getVars(), data.getRows(), problems);
        }
    }

    /**
     * Every CONCAT of a BIND, a FILTER or an OPTIONAL's FILTER, over the variables surely bound where it is
     * evaluated: those bound below it (`bound`) and those a FILTER(BOUND(?x)) of the same group requires (a
     * row without them is dropped whatever the CONCAT gave).
     */
    static void checkConcat(Op op, Set<Var> required, List<String> problems) {
        if (op instanceof OpExtend) {
            OpExtend extend = (OpExtend) op;
            Set<Var> bound = union(bound(extend.getSubOp()), required);
            extend.getVarExprList().forEachExpr((var, expr) -> {
                concats(expr, bound, problems);
                if (hasBound(expr)) {
                    problems.add("BOUND() in the expression of ?" + var.getVarName() + " (" + expr + "): test "
                            + "COALESCE(STR(?x), \"\") = \"\" instead; BOUND belongs in FILTER");
                }
            });
            checkConcat(extend.getSubOp(), required, problems);
        } else if (op instanceof OpFilter) {
            OpFilter filter = (OpFilter) op;
            Set<Var> bound = union(bound(filter.getSubOp()), required);
            filter.getExprs().forEach(expr -> concats(expr, bound, problems));
            Set<Var> more = new HashSet<>(required);
            filter.getExprs().forEach(expr -> boundTested(expr, more));
            checkConcat(filter.getSubOp(), more, problems);
        } else if (op instanceof OpLeftJoin) {
            OpLeftJoin join = (OpLeftJoin) op;
            if (join.getExprs() != null) {
                Set<Var> bound = union(bound(join.getLeft()), bound(join.getRight()));
                join.getExprs().forEach(expr -> concats(expr, union(bound, required), problems));
            }
            checkConcat(join.getLeft(), required, problems);
            checkConcat(join.getRight(), Set.of(), problems);
        } else if (op instanceof OpJoin || op instanceof OpSequence) {
            List<Op> parts = op instanceof OpJoin
                    ? List.of(((OpJoin) op).getLeft(), ((OpJoin) op).getRight())
                    : ((OpSequence) op).getElements();
            parts.forEach(part -> checkConcat(part, required, problems));
        } else if (op instanceof OpGroup) {  // a new scope, whose GROUP_CONCATs must have a value in each row
            OpGroup group = (OpGroup) op;
            Set<Var> bound = bound(group.getSubOp());
            for (ExprAggregator aggregate : group.getAggregators()) {
                Aggregator aggregator = aggregate.getAggregator();
                if (aggregator instanceof AggGroupConcat || aggregator instanceof AggGroupConcatDistinct) {
                    for (Expr arg : aggregator.getExprList()) {
                        Var unbound = mayBeUnbound(arg, bound);
                        if (unbound != null) {
                            problems.add("GROUP_CONCAT over ?" + unbound.getVarName() + ", which may be unbound, in "
                                    + aggregator + " (give it a value: GROUP_CONCAT(COALESCE(?x, \"\")); over no "
                                    + "value Virtuoso gives \"\" where Oxigraph and Jena give none)");
                        }
                    }
                }
            }
            checkConcat(group.getSubOp(), Set.of(), problems);
        } else if (op instanceof Op1) {  // a subquery's projection, an order...: a new scope
            checkConcat(((Op1) op).getSubOp(), Set.of(), problems);
        } else if (op instanceof Op2) {  // a UNION, a MINUS
            checkConcat(((Op2) op).getLeft(), Set.of(), problems);
            checkConcat(((Op2) op).getRight(), Set.of(), problems);
        } else if (op instanceof OpN) {
            ((OpN) op).getElements().forEach(part -> checkConcat(part, Set.of(), problems));
        }
    }

    /**
     * The variables bound in every row of `op`: those of its required patterns and VALUES (Jena's fixed
     * variables), of a BIND whose expression has a value whenever they are bound, of a FILTER(BOUND(?x)), of
     * a subquery that projects them, and a COUNT (another aggregate over no values may give none).
     */
    static Set<Var> bound(Op op) {
        return bound(op, Set.of());
    }

    /**
     * `bound(op)` for the rows that pass the FILTER(BOUND(...)) above `op` in its group: `assumed` holds the
     * variables such a FILTER requires (SPARQL applies a group's FILTER to the whole group, after its BINDs,
     * but only rows that have them reach what is above it, a GROUP BY for one).
     */
    static Set<Var> bound(Op op, Set<Var> assumed) {
        if (op instanceof OpExtend) {
            OpExtend extend = (OpExtend) op;
            Set<Var> bound = bound(extend.getSubOp(), assumed);
            Set<Var> below = union(bound, assumed);
            extend.getVarExprList().forEachExpr((var, expr) -> {
                if (mayBeUnbound(expr, below) == null) {
                    bound.add(var);
                }
            });
            return bound;
        }
        if (op instanceof OpFilter) {
            Set<Var> tested = new HashSet<>(assumed);
            ((OpFilter) op).getExprs().forEach(expr -> boundTested(expr, tested));
            Set<Var> bound = bound(((OpFilter) op).getSubOp(), tested);
            ((OpFilter) op).getExprs().forEach(expr -> boundTested(expr, bound));
            return bound;
        }
        if (op instanceof OpLeftJoin || op instanceof OpMinus) {
            return bound(((Op2) op).getLeft(), assumed);
        }
        if (op instanceof OpJoin) {
            return union(bound(((OpJoin) op).getLeft(), assumed), bound(((OpJoin) op).getRight(), assumed));
        }
        if (op instanceof OpSequence) {
            Set<Var> bound = new HashSet<>();
            ((OpSequence) op).getElements().forEach(part -> bound.addAll(bound(part, assumed)));
            return bound;
        }
        if (op instanceof OpUnion) {
            Set<Var> bound = bound(((OpUnion) op).getLeft());
            bound.retainAll(bound(((OpUnion) op).getRight()));
            return bound;
        }
        if (op instanceof OpProject) {
            Set<Var> bound = bound(((OpProject) op).getSubOp());
            bound.retainAll(((OpProject) op).getVars());
            return bound;
        }
        if (op instanceof OpGroup) {
            OpGroup group = (OpGroup) op;
            Set<Var> bound = bound(group.getSubOp());
            bound.retainAll(group.getGroupVars().getVars());
            for (ExprAggregator aggregate : group.getAggregators()) {
                if (aggregate.getAggregator() instanceof AggCount
                        || aggregate.getAggregator() instanceof AggCountVar
                        || aggregate.getAggregator() instanceof AggCountDistinct
                        || aggregate.getAggregator() instanceof AggCountVarDistinct) {
                    bound.add(aggregate.getVar());
                }
            }
            return bound;
        }
        if (op instanceof Op1 && !(op instanceof OpGraph)) {  // ORDER BY, DISTINCT, a slice
            return bound(((Op1) op).getSubOp(), assumed);
        }
        return new HashSet<>(OpVars.fixedVars(op));  // patterns, paths, VALUES
    }

    static boolean hasBound(Expr expr) {
        if (expr instanceof E_Bound) {
            return true;
        }
        if (expr instanceof ExprFunction && !(expr instanceof ExprFunctionOp)) {
            return ((ExprFunction) expr).getArgs().stream().anyMatch(CheckQueries::hasBound);
        }
        return false;
    }

    static Set<Var> union(Set<Var> a, Set<Var> b) {
        Set<Var> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    /** The variables that `expr`, a FILTER, requires to be bound: BOUND(?x), alone or in a conjunction. */
    static void boundTested(Expr expr, Set<Var> found) {
        if (expr instanceof E_Bound && ((E_Bound) expr).getArg().isVariable()) {
            found.add(((E_Bound) expr).getArg().asVar());
        } else if (expr instanceof E_LogicalAnd) {
            boundTested(((E_LogicalAnd) expr).getArg1(), found);
            boundTested(((E_LogicalAnd) expr).getArg2(), found);
        }
    }

    static void concats(Expr expr, Set<Var> bound, List<String> problems) {
        if (!(expr instanceof ExprFunction) || expr instanceof ExprFunctionOp) {
            return;
        }
        ExprList args = new ExprList(((ExprFunction) expr).getArgs());
        if (expr instanceof E_StrConcat) {
            for (Expr arg : args) {
                Var unbound = mayBeUnbound(arg, bound);
                if (unbound != null) {
                    problems.add("CONCAT over ?" + unbound.getVarName() + ", which may be unbound, in " + expr
                            + " (give it a value first: BIND(COALESCE(STR(?x), \"\") AS ?text))");
                    break;
                }
            }
        }
        for (Expr arg : args) {
            concats(arg, bound, problems);
        }
    }

    /** A variable that may leave `expr` without a value (null when it has one whenever `bound` are bound). */
    static Var mayBeUnbound(Expr expr, Set<Var> bound) {
        if (expr.isVariable()) {
            return bound.contains(expr.asVar()) ? null : expr.asVar();
        }
        if (expr instanceof E_Bound || expr instanceof ExprFunctionOp || !(expr instanceof ExprFunction)) {
            return null;
        }
        List<Expr> args = ((ExprFunction) expr).getArgs();
        if (expr instanceof E_Coalesce) {  // a value when any of its arguments has one
            Var first = null;
            for (Expr arg : args) {
                Var unbound = mayBeUnbound(arg, bound);
                if (unbound == null) {
                    return null;
                }
                first = first == null ? unbound : first;
            }
            return first;
        }
        for (Expr arg : args) {
            Var unbound = mayBeUnbound(arg, bound);
            if (unbound != null) {
                return unbound;
            }
        }
        return null;
    }
}
