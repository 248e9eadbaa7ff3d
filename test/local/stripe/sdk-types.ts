/**
 * Checks a JSON value against a type the Stripe SDK declares for the pinned API version, at every
 * depth, with the TypeScript compiler reading the SDK's own declarations: every required field
 * present, no field the type does not declare, null only where the type allows it, strings of an
 * enum among its literals (Stripe's `OtherString` escape is not a value to invent), numbers,
 * booleans, arrays and nested objects as declared. Unions (expandable ids, an event's many
 * types) pass when one member fits; members whose literal fields (`object`, `type`) contradict
 * the value are not tried.
 */
import path from 'node:path';
import ts from 'typescript';

export type TypeProblems = (typeName: string, value: unknown) => string[];

const MAX_DEPTH = 16;

/** Compiles a file declaring the given SDK types, once; returns a checker for values against them. */
export function sdkTypeChecker(repoRoot: string, typeNames: readonly string[]): TypeProblems {
  const file = path.join(repoRoot, 'test', 'local', 'stripe', '__sdk_types__.ts');
  const source = [
    "import type Stripe from 'stripe';",
    ...typeNames.map((name, i) => `export type T${i} = ${name};`),
  ].join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, version, ...rest) =>
    name === file ? ts.createSourceFile(name, source, version) : getSourceFile.call(host, name, version, ...rest);
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  host.readFile = (name) => (name === file ? source : readFile.call(host, name));
  const program = ts.createProgram([file], options, host);
  const checker = program.getTypeChecker();
  const sourceFile = program.getSourceFile(file);
  if (!sourceFile) throw new Error('the SDK type file did not compile');
  const diagnostics = ts.getPreEmitDiagnostics(program, sourceFile);
  if (diagnostics.length > 0) throw new Error(ts.flattenDiagnosticMessageText(diagnostics[0]?.messageText ?? '', '\n'));

  const declared = new Map<string, ts.Type>();
  sourceFile.statements.forEach((statement, i) => {
    if (ts.isTypeAliasDeclaration(statement)) declared.set(typeNames[i - 1] as string, checker.getTypeAtLocation(statement.name));
  });

  const isNull = (t: ts.Type) => (t.flags & ts.TypeFlags.Null) !== 0;
  const isUndefined = (t: ts.Type) => (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) !== 0;
  /** Stripe's `OtherString` (`string & Record<never, never>`): "values the SDK does not list". */
  const isOtherString = (t: ts.Type) => t.isIntersection() && t.types.some((p) => (p.flags & ts.TypeFlags.String) !== 0);
  /** The SDK's `Decimal`, which it parses from the decimal string Stripe sends (`unit_amount_decimal`). */
  const isDecimal = (t: ts.Type) => t.aliasSymbol?.name === 'Decimal';
  const isArray = (t: ts.Type) => checker.isArrayType(t);
  const isObject = (t: ts.Type) => (t.flags & ts.TypeFlags.Object) !== 0 && !isArray(t);
  const members = (t: ts.Type): ts.Type[] => (t.isUnion() ? t.types : [t]);
  const display = (t: ts.Type) => checker.typeToString(t);

  /** The literal a property is declared as (`object: 'invoice'`), if it is exactly one. */
  const literalOf = (t: ts.Type, key: string): string | undefined => {
    const prop = t.getProperty(key);
    if (!prop) return undefined;
    const type = checker.getTypeOfSymbol(prop);
    return type.isStringLiteral() ? type.value : undefined;
  };

  const check = (type: ts.Type, value: unknown, at: string, depth: number): string[] => {
    if (depth > MAX_DEPTH) return [];
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return [];
    const options = members(type).filter((t) => !isUndefined(t));
    if (value === null) return options.some(isNull) ? [] : [`${at}: null, but the SDK declares ${display(type)}`];
    if (value === undefined) return options.length === 0 ? [] : [`${at}: missing`];
    switch (typeof value) {
      case 'string': {
        if (options.some((t) => t.flags & (ts.TypeFlags.String | ts.TypeFlags.TemplateLiteral))) return [];
        if (options.some(isDecimal)) return /^-?\d+(\.\d+)?$/.test(value) ? [] : [`${at}: '${value}' is not a decimal string`];
        const literals = options.filter((t) => t.isStringLiteral()).map((t) => (t as ts.StringLiteralType).value);
        if (literals.includes(value)) return [];
        if (literals.length > 0) return [`${at}: '${value}' not one of ${literals.join('|')}`];
        return options.some(isOtherString) ? [] : [`${at}: a string, but the SDK declares ${display(type)}`];
      }
      case 'number':
        return options.some((t) => t.flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral)) ? [] : [`${at}: a number, but the SDK declares ${display(type)}`];
      case 'boolean':
        return options.some((t) => t.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) ? [] : [`${at}: a boolean, but the SDK declares ${display(type)}`];
      case 'object':
        break;
      default:
        return [`${at}: a ${typeof value}`];
    }
    if (Array.isArray(value)) {
      const arrays = options.filter(isArray);
      const [element] = arrays.length > 0 ? checker.getTypeArguments(arrays[0] as ts.TypeReference) : [];
      if (!element) return [`${at}: an array, but the SDK declares ${display(type)}`];
      return value.flatMap((item, i) => check(element, item, `${at}[${i}]`, depth + 1));
    }
    const record = value as Record<string, unknown>;
    const candidates = options.filter((t) => isObject(t) && !isDecimal(t)).filter((t) =>
      ['object', 'type'].every((key) => {
        const literal = literalOf(t, key);
        return literal === undefined || record[key] === undefined || record[key] === literal;
      }),
    );
    if (candidates.length === 0) return [`${at}: an object, but the SDK declares ${display(type)}`];
    let best: string[] | undefined;
    for (const candidate of candidates) {
      const problems = checkObject(candidate, record, at, depth);
      if (problems.length === 0) return [];
      if (!best || problems.length < best.length) best = problems;
    }
    return best ?? [];
  };

  const checkObject = (type: ts.Type, record: Record<string, unknown>, at: string, depth: number): string[] => {
    const problems: string[] = [];
    const index = checker.getIndexInfoOfType(type, ts.IndexKind.String);
    const properties = new Map(checker.getPropertiesOfType(type).map((p) => [p.name, p]));
    for (const [name, prop] of properties) {
      const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0;
      if (!(name in record)) {
        if (!optional) problems.push(`${at}.${name}: missing`);
        continue;
      }
      problems.push(...check(checker.getTypeOfSymbol(prop), record[name], `${at}.${name}`, depth + 1));
    }
    for (const [name, field] of Object.entries(record)) {
      if (properties.has(name)) continue;
      if (index) problems.push(...check(index.type, field, `${at}.${name}`, depth + 1));
      else problems.push(`${at}.${name}: not in the SDK's type`);
    }
    return problems;
  };

  return (typeName, value) => {
    const type = declared.get(typeName);
    if (!type) throw new Error(`${typeName} was not declared to sdkTypeChecker`);
    // As sent over the wire: the SDK's non-enumerable `lastResponse` and undefined fields drop out.
    return check(type, JSON.parse(JSON.stringify(value)) as unknown, typeName, 0);
  };
}
