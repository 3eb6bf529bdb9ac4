import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  GraphQLError,
  type GraphQLField,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  getOperationAST,
  isCompositeType,
  isListType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';

/**
 * Abuse limits checked before anything runs: how deeply a query nests and what it would cost.
 *
 * Cost model: every field costs 1. A list field multiplies what is selected under it by its
 * `first` / `last` / `limit` argument, or by {@link DEFAULT_LIST_SIZE} when it has none (the lists
 * without a size argument are short by nature: an order's items, a ticket's comments). A
 * Relay connection (a type named `…Connection`) multiplies what is selected under its `edges`
 * and `nodes` the same way, once; `pageInfo` and `totalCount` count once. A size given as a
 * variable counts, during validation (before variables are known), as the variable's default,
 * else the argument's default, else the default list size; {@link checkQueryLimits} then prices
 * the operation again with the variables it is run with, so `first: $n` costs what `$n` is.
 * Introspection (`__schema`, `__type`) and `__typename` are free and do not count for depth.
 *
 * Work is linear in the document: a fragment's depth is measured once, and its cost once per
 * (type it is spread on, enclosing page size), however often it is spread. Graphql-js's own rules
 * are linear too; these rules used to walk every spread again (a 2 KB document of fragments each
 * spreading the next twice took 20 s).
 */

export const DEFAULT_MAX_DEPTH = 10;
export const DEFAULT_MAX_COST = 10_000;
export const DEFAULT_LIST_SIZE = 10;

const SIZE_ARGUMENTS = ['first', 'last', 'limit'];
const PAGED_FIELDS = ['edges', 'nodes'];

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
}

/** The two rules, ready for the `validationRules` option of the HTTP server. */
export function createQueryLimitRules(limits: QueryLimits): ValidationRule[] {
  return [maxDepthRule(limits.maxDepth), maxCostRule(limits.maxCost)];
}

export function maxDepthRule(maxDepth: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const depth = new Walker(schemaLookup(context), operation, {}).depth(operation.selectionSet);
      if (depth > maxDepth) context.reportError(tooDeep(operation, depth, maxDepth));
    },
  });
}

export function maxCostRule(maxCost: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const root = rootType(context, operation);
      if (!root) return;
      const cost = new Walker(schemaLookup(context), operation, {}).cost(operation.selectionSet, root, 1);
      if (cost > maxCost) context.reportError(tooCostly(operation, cost, maxCost));
    },
  });
}

/**
 * Prices a validated operation again with the variables it is about to run with (a page size
 * given as `$n` costs what `$n` is). Returns the error to answer with, or null.
 */
export function checkQueryLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
  limits: QueryLimits,
): GraphQLError | null {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) return null;
  const root = rootTypeOf(schema, operation);
  if (!root) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const lookup: SchemaLookup = { schema, fragment: (name) => fragments.get(name) };
  const cost = new Walker(lookup, operation, variables ?? {}).cost(operation.selectionSet, root, 1);
  return cost > limits.maxCost ? tooCostly(operation, cost, limits.maxCost) : null;
}

const tooDeep = (operation: OperationDefinitionNode, depth: number, maxDepth: number) =>
  new GraphQLError(
    `Query depth ${depth} exceeds the maximum depth of ${maxDepth} (GRAPHQL_MAX_DEPTH); select fewer nested fields.`,
    { nodes: [operation], extensions: { code: 'QUERY_TOO_DEEP', depth, maxDepth } },
  );

const tooCostly = (operation: OperationDefinitionNode, cost: number, maxCost: number) =>
  new GraphQLError(
    `Query cost ${cost} exceeds the maximum cost of ${maxCost} (GRAPHQL_MAX_COST); ask for smaller pages (first/limit) or fewer fields.`,
    { nodes: [operation], extensions: { code: 'QUERY_TOO_COSTLY', cost, maxCost, http: { status: 400 } } },
  );

interface SchemaLookup {
  schema: GraphQLSchema;
  fragment(name: string): FragmentDefinitionNode | undefined;
}

const schemaLookup = (context: ValidationContext): SchemaLookup => ({
  schema: context.getSchema(),
  fragment: (name) => context.getFragment(name) ?? undefined,
});

function rootType(context: ValidationContext, operation: OperationDefinitionNode) {
  return rootTypeOf(context.getSchema(), operation);
}

function rootTypeOf(schema: GraphQLSchema, operation: OperationDefinitionNode) {
  if (operation.operation === 'query') return schema.getQueryType() ?? null;
  if (operation.operation === 'mutation') return schema.getMutationType() ?? null;
  return schema.getSubscriptionType() ?? null;
}

const isMetaField = (name: string) => name.startsWith('__');

class Walker {
  /** Depth of each fragment, measured once. */
  private readonly fragmentDepths = new Map<string, number>();
  /** Cost of each fragment per (type it is spread on, enclosing page size), measured once. */
  private readonly fragmentCosts = new Map<string, number>();
  /** Fragments being measured: a spread cycle (refused by graphql-js's own rule) counts 0. */
  private readonly open = new Set<string>();

  constructor(
    private readonly lookup: SchemaLookup,
    private readonly operation: OperationDefinitionNode,
    private readonly variables: Readonly<Record<string, unknown>>,
  ) {}

  /** Deepest chain of fields. */
  depth(selectionSet: SelectionSetNode | undefined): number {
    let deepest = 0;
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (isMetaField(selection.name.value)) continue;
        deepest = Math.max(deepest, 1 + this.depth(selection.selectionSet));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, this.depth(selection.selectionSet));
      } else {
        deepest = Math.max(deepest, this.fragmentDepth(selection.name.value));
      }
    }
    return deepest;
  }

  private fragmentDepth(name: string): number {
    const known = this.fragmentDepths.get(name);
    if (known !== undefined) return known;
    const fragment = this.lookup.fragment(name);
    if (!fragment || this.open.has(name)) return 0;
    this.open.add(name);
    const depth = this.depth(fragment.selectionSet);
    this.open.delete(name);
    this.fragmentDepths.set(name, depth);
    return depth;
  }

  /**
   * Cost of a selection set on `parent`. `pageSize` is the enclosing connection's page size,
   * applied to its `edges` / `nodes`.
   */
  cost(selectionSet: SelectionSetNode | undefined, parent: GraphQLCompositeType, pageSize: number): number {
    let total = 0;
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        total += this.fieldCost(selection, parent, pageSize);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += this.cost(
          selection.selectionSet,
          this.narrow(parent, selection.typeCondition?.name.value),
          pageSize,
        );
      } else {
        total += this.fragmentCost(selection.name.value, parent, pageSize);
      }
    }
    return total;
  }

  private fragmentCost(name: string, parent: GraphQLCompositeType, pageSize: number): number {
    const key = `${name}\u0000${parent.name}\u0000${pageSize}`;
    const known = this.fragmentCosts.get(key);
    if (known !== undefined) return known;
    const fragment = this.lookup.fragment(name);
    if (!fragment || this.open.has(name)) return 0;
    this.open.add(name);
    const cost = this.cost(
      fragment.selectionSet,
      this.narrow(parent, fragment.typeCondition.name.value),
      pageSize,
    );
    this.open.delete(name);
    this.fragmentCosts.set(key, cost);
    return cost;
  }

  private fieldCost(node: FieldNode, parent: GraphQLCompositeType, pageSize: number): number {
    if (isMetaField(node.name.value)) return 0;
    const definition = fieldOf(parent, node.name.value);
    if (!definition) return 1;
    const named = getNamedType(definition.type);
    if (!node.selectionSet || !isCompositeType(named)) return 1;
    const isConnection = named.name.endsWith('Connection');
    const size = this.sizeOf(node, definition);
    const inner = this.cost(node.selectionSet, named, isConnection ? size : 1);
    if (isConnection) return 1 + inner;
    if (PAGED_FIELDS.includes(node.name.value) && parent.name.endsWith('Connection'))
      return 1 + pageSize * inner;
    if (isListType(getNullableType(definition.type))) return 1 + size * inner;
    return 1 + inner;
  }

  /** The list size a field asks for: its size argument, as written or passed, defaulted or assumed. */
  private sizeOf(node: FieldNode, definition: GraphQLField<unknown, unknown>): number {
    for (const name of SIZE_ARGUMENTS) {
      const written = node.arguments?.find((a) => a.name.value === name);
      const declared = definition.args.find((a) => a.name === name);
      if (!written && !declared) continue;
      const value = written ? this.intOf(written.value) : null;
      if (value !== null) return value;
      if (typeof declared?.defaultValue === 'number') return Math.max(0, declared.defaultValue);
    }
    return DEFAULT_LIST_SIZE;
  }

  private intOf(value: ValueNode): number | null {
    if (value.kind === Kind.INT) return Math.max(0, Number.parseInt(value.value, 10));
    if (value.kind === Kind.VARIABLE) {
      const passed = this.variables[value.name.value];
      if (typeof passed === 'number' && Number.isFinite(passed)) return Math.max(0, Math.trunc(passed));
      const variable = this.operation.variableDefinitions?.find(
        (v) => v.variable.name.value === value.name.value,
      );
      if (variable?.defaultValue) return this.intOf(variable.defaultValue);
    }
    return null;
  }

  private narrow(parent: GraphQLCompositeType, typeName: string | undefined): GraphQLCompositeType {
    if (!typeName) return parent;
    const type = this.lookup.schema.getType(typeName);
    return type && isCompositeType(type) ? type : parent;
  }
}

function fieldOf(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  return 'getFields' in parent ? parent.getFields()[name] : undefined;
}
