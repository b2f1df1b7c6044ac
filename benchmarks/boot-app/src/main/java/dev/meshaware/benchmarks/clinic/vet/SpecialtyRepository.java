package dev.meshaware.benchmarks.clinic.vet;

import org.springframework.data.jpa.repository.JpaRepository;

/** The specialties vets can have. */
public interface SpecialtyRepository extends JpaRepository<Specialty, Integer> {}
