"""The GraphQL surface: types, resolvers, permissions and DataLoaders (calls services only)."""
