import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  GraphQLError,
  type GraphQLField,
  getNamedType,
  getNullableType,
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
 * variable counts as the variable's default, else the argument's default, else the default
 * list size (validation runs before variables are known; resolvers still cap page sizes).
 * Introspection (`__schema`, `__type`) and `__typename` are free and do not count for depth.
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
      const depth = new Walker(context, operation).depth(operation.selectionSet, new Set());
      if (depth > maxDepth) {
        context.reportError(
          new GraphQLError(
            `Query depth ${depth} exceeds the maximum depth of ${maxDepth} (GRAPHQL_MAX_DEPTH); select fewer nested fields.`,
            { nodes: [operation], extensions: { code: 'QUERY_TOO_DEEP', depth, maxDepth } },
          ),
        );
      }
    },
  });
}

export function maxCostRule(maxCost: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const root = rootType(context, operation);
      if (!root) return;
      const cost = new Walker(context, operation).cost(operation.selectionSet, root, 1, new Set());
      if (cost > maxCost) {
        context.reportError(
          new GraphQLError(
            `Query cost ${cost} exceeds the maximum cost of ${maxCost} (GRAPHQL_MAX_COST); ask for smaller pages (first/limit) or fewer fields.`,
            { nodes: [operation], extensions: { code: 'QUERY_TOO_COSTLY', cost, maxCost } },
          ),
        );
      }
    },
  });
}

function rootType(context: ValidationContext, operation: OperationDefinitionNode) {
  const schema = context.getSchema();
  if (operation.operation === 'query') return schema.getQueryType() ?? null;
  if (operation.operation === 'mutation') return schema.getMutationType() ?? null;
  return schema.getSubscriptionType() ?? null;
}

const isMetaField = (name: string) => name.startsWith('__');

class Walker {
  constructor(
    private readonly context: ValidationContext,
    private readonly operation: OperationDefinitionNode,
  ) {}

  /** Deepest chain of fields; fragments are followed (each at most once per path). */
  depth(selectionSet: SelectionSetNode | undefined, path: Set<string>): number {
    let deepest = 0;
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (isMetaField(selection.name.value)) continue;
        deepest = Math.max(deepest, 1 + this.depth(selection.selectionSet, path));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, this.depth(selection.selectionSet, path));
      } else {
        const fragment = this.fragment(selection.name.value, path);
        if (fragment) {
          path.add(fragment.name.value);
          deepest = Math.max(deepest, this.depth(fragment.selectionSet, path));
          path.delete(fragment.name.value);
        }
      }
    }
    return deepest;
  }

  /**
   * Cost of a selection set on `parent`. `pageSize` is the enclosing connection's page size,
   * applied to its `edges` / `nodes`.
   */
  cost(
    selectionSet: SelectionSetNode | undefined,
    parent: GraphQLCompositeType,
    pageSize: number,
    path: Set<string>,
  ): number {
    let total = 0;
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        total += this.fieldCost(selection, parent, pageSize, path);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += this.cost(
          selection.selectionSet,
          this.narrow(parent, selection.typeCondition?.name.value),
          pageSize,
          path,
        );
      } else {
        const fragment = this.fragment(selection.name.value, path);
        if (fragment) {
          path.add(fragment.name.value);
          total += this.cost(
            fragment.selectionSet,
            this.narrow(parent, fragment.typeCondition.name.value),
            pageSize,
            path,
          );
          path.delete(fragment.name.value);
        }
      }
    }
    return total;
  }

  private fieldCost(
    node: FieldNode,
    parent: GraphQLCompositeType,
    pageSize: number,
    path: Set<string>,
  ): number {
    if (isMetaField(node.name.value)) return 0;
    const definition = fieldOf(parent, node.name.value);
    if (!definition) return 1;
    const named = getNamedType(definition.type);
    if (!node.selectionSet || !isCompositeType(named)) return 1;
    const isConnection = named.name.endsWith('Connection');
    const size = this.sizeOf(node, definition);
    const inner = this.cost(node.selectionSet, named, isConnection ? size : 1, path);
    if (isConnection) return 1 + inner;
    if (PAGED_FIELDS.includes(node.name.value) && parent.name.endsWith('Connection'))
      return 1 + pageSize * inner;
    if (isListType(getNullableType(definition.type))) return 1 + size * inner;
    return 1 + inner;
  }

  /** The list size a field asks for: its size argument, as written, defaulted or assumed. */
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
      const variable = this.operation.variableDefinitions?.find(
        (v) => v.variable.name.value === value.name.value,
      );
      if (variable?.defaultValue) return this.intOf(variable.defaultValue);
    }
    return null;
  }

  private narrow(parent: GraphQLCompositeType, typeName: string | undefined): GraphQLCompositeType {
    if (!typeName) return parent;
    const type = this.context.getSchema().getType(typeName);
    return type && isCompositeType(type) ? type : parent;
  }

  private fragment(name: string, path: Set<string>): FragmentDefinitionNode | undefined {
    return path.has(name) ? undefined : (this.context.getFragment(name) ?? undefined);
  }
}

function fieldOf(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  return 'getFields' in parent ? parent.getFields()[name] : undefined;
}
